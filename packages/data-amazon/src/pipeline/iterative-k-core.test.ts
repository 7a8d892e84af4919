import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { iterativeKCore } from './iterative-k-core';

describe('iterativeKCore', () => {
  // Synthetic, k = 2. Users 0..3, items A = 0, B = 1, C = 2.
  //   u0: A B   u1: A B   u2: B C   u3: C
  // round 1: u3 has 1 interaction → removed (items A 2, B 3, C 2 all pass)
  // round 2: C now has only u2's interaction → removed
  // round 3: u2 is left with B alone → removed
  // round 4: u0 A B, u1 A B; everyone has 2 → stable
  const users = [0, 0, 1, 1, 2, 2, 3];
  const items = [0, 1, 0, 1, 1, 2, 2];

  it('repeats until stable, each round removing what the previous one exposed', () => {
    const { keep, rounds } = iterativeKCore({ users, items }, 2);
    expect(Array.from(keep)).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(rounds).toEqual([
      { round: 1, usersRemoved: 1, itemsRemoved: 0, users: 3, items: 3, interactions: 6 },
      { round: 2, usersRemoved: 0, itemsRemoved: 1, users: 3, items: 2, interactions: 5 },
      { round: 3, usersRemoved: 1, itemsRemoved: 0, users: 2, items: 2, interactions: 4 },
    ]);
  });

  it('counts repeated user–item pairs as separate interactions', () => {
    // u0 bought A twice: 2 interactions, so it survives k = 2 together with A (u0, u0).
    const { keep, rounds } = iterativeKCore({ users: [0, 0, 1], items: [0, 0, 1] }, 2);
    expect(Array.from(keep)).toEqual([1, 1, 0]);
    expect(rounds).toHaveLength(1);
  });

  it('only considers active interactions and leaves the mask it was given alone', () => {
    const active = Uint8Array.from([1, 1, 1, 1, 1, 1, 0]);
    // Without u3, round 1 already sees C with one interaction.
    const { keep, rounds } = iterativeKCore({ users, items, active }, 2);
    expect(Array.from(keep)).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(rounds.map((round) => [round.usersRemoved, round.itemsRemoved])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(Array.from(active)).toEqual([1, 1, 1, 1, 1, 1, 0]);
  });

  it('removes nothing for k = 0 or 1, and can empty everything', () => {
    expect(iterativeKCore({ users, items }, 0).keep.every((flag) => flag === 1)).toBe(true);
    expect(iterativeKCore({ users, items }, 1).rounds).toEqual([]);
    const { keep, rounds } = iterativeKCore({ users, items }, 3);
    expect(keep.includes(1)).toBe(false);
    expect(rounds.at(-1)).toMatchObject({ users: 0, items: 0, interactions: 0 });
  });

  it('rejects bad arguments', () => {
    expect(() => iterativeKCore({ users, items }, 1.5)).toThrow(InvalidArgumentError);
    expect(() => iterativeKCore({ users: [0], items: [0, 1] }, 2)).toThrow(/users has 1 entries/);
    expect(() => iterativeKCore({ users: [0, -1], items: [0, 1] }, 2)).toThrow(/non-negative integers/);
  });
});
