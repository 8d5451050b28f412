/**
 * Seeded random streams. One root seed; every consumer asks for its own stream
 * by name (`client:users/arrival`, `service:db/service-time`, ...), so adding a
 * component or a purpose never shifts the numbers another one draws (common
 * random numbers across variants of a design).
 */
import seedrandom from 'seedrandom';

/** A stream of uniform numbers in [0, 1). */
export type Stream = () => number;

/** Creates the named stream for `seed`. Same (seed, name) → same sequence, on any machine. */
export function createStream(seed: number, name: string): Stream {
  // Alea: fast, 2^116 period, and seeded from a string, so the name is part of the key.
  const prng = seedrandom.alea(`loopsim|${seed}|${name}`);
  return prng.double;
}
