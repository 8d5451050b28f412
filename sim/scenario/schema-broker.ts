/**
 * The zod schema of a message broker (`brokers:` at the top level): a queue
 * that producers publish to and a consumer group receives from, with Amazon
 * SQS's semantics (visibility timeout, receive count, redrive to a
 * dead-letter queue, retention). Defaults are SQS's own, said per field.
 */
import { z } from 'zod';
import { Duration, PositiveDuration, nameRef, oneOf, wholeNumber } from './schema-leaves.js';

/** The order in which a broker hands out its visible messages. */
export const BROKER_ORDERS = ['oldest', 'newest'] as const;

const Consumers = z
  .strictObject(
    {
      service: nameRef('service').describe(
        'The service that processes each message: a received message is sent to it as a request, and deleted when the response is a success.',
      ),
      concurrency: wholeNumber(1, 1_000_000).describe('Messages the group processes at once (its pollers), 1 to 10^6. Required.'),
    },
    { error: () => 'the consumer group, a map like { service: worker, concurrency: 8 }' },
  )
  .describe('The consumer group: how many messages it receives at once, and the service that processes them.');

/** A message broker with SQS semantics. */
export const Broker = z.strictObject({
  consumers: Consumers,
  // SQS: VisibilityTimeout defaults to 30 seconds.
  visibilityTimeout: PositiveDuration.default('30s').describe(
    'How long a received message stays invisible; not deleted by then, it becomes visible again and is delivered again. Default 30s (SQS).',
  ),
  // SQS: no redrive policy unless one is set; maxReceiveCount is 1 to 1000 when it is.
  maxReceiveCount: wholeNumber(1, 1000)
    .optional()
    .describe(
      'Receives a message may have; one due for another receive moves to the dead-letter queue instead, 1 to 1000. No dead-letter queue when absent (SQS redrive policy).',
    ),
  // SQS: a failed message waits out its visibility timeout unless the consumer calls ChangeMessageVisibility.
  redeliveryDelay: Duration.optional().describe(
    'After a failed delivery the consumer frees its slot at once and the message becomes visible again after this delay (SQS ChangeMessageVisibility). Absent: it waits out its visibility timeout.',
  ),
  // SQS: MessageRetentionPeriod defaults to 4 days (345,600 s).
  retention: PositiveDuration.default('96h').describe(
    'A message older than this (since it was published) is dropped instead of delivered. Default 96h, 4 days (SQS MessageRetentionPeriod).',
  ),
  order: oneOf(BROKER_ORDERS)
    .default('oldest')
    .describe(
      'Which visible message is received first: oldest (as SQS, first in, first out) or newest (last in, first out). Default oldest.',
    ),
});
