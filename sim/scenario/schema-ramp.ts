/**
 * Fault sizes that ramp: a field that takes a size (a latency fault's `add`
 * and `multiply`, an errors fault's `rate`, a traffic fault's `multiply`, a
 * link fault's `delay` and `loss`) also takes `{ from, to, over }`: the size
 * goes from `from` at the window's start to `to` at `at + over`, and holds
 * there until the window ends (docs/model.md, "Ramping faults").
 */
import { z } from 'zod';
import * as msg from './messages.js';
import { PositiveDuration } from './schema-leaves.js';

/** The fault fields whose size may ramp. */
export const RAMPABLE_FIELDS = ['add', 'multiply', 'rate', 'delay', 'loss'] as const;

/** `leaf`, or a ramp `{ from, to, over }` of `leaf` values; `what` says what a plain value is, for the message. */
export function rampable<T extends z.ZodType>(leaf: T, what: string) {
  const ramp = z.strictObject({
    from: leaf.describe('Size at the start of the window.'),
    to: leaf.describe('Size reached at `at + over` and held until the window ends.'),
    over: PositiveDuration.describe("Length of the ramp, at most the window's `for`."),
  });
  return z.union([leaf, ramp], { error: () => msg.expectRampable(what) });
}
