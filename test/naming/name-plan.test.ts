import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NamePlan, NamePlanner, type NameCandidate } from '../../lib/naming/name-plan.js';
import { PlannedNames } from '../../lib/naming/planned-names.js';
import { ErrorCode } from '../../lib/errors.js';

/** The by-id stem of every candidate, by index, as the two passes give it. */
function byId(candidates: NameCandidate[]): Map<number, string> {
  const planner = new NamePlanner();
  for (const c of candidates) planner.see(c.stem);
  if (planner.hasCollisions) for (const c of candidates) planner.collect(c);
  const plan = planner.plan();
  return new Map(candidates.map((c) => [c.index, plan.stemFor(c.index) ?? c.stem]));
}

const item = (index: number, id: string | number, stem: string): NameCandidate => ({ index, id, stem });

describe('NamePlanner (by-id naming)', () => {
  it('gives the plain stem to the smallest id and (1), (2)… in ascending id order, whatever the arrival order', () => {
    const names = byId([item(1, 30, 'a'), item(2, 10, 'a'), item(3, 20, 'a'), item(4, 5, 'b')]);
    expect([...names]).toEqual([
      [1, 'a(2)'],
      [2, 'a'],
      [3, 'a(1)'],
      [4, 'b'],
    ]);
  });

  it('never hands out a(1) when another item has a(1) as its own stem', () => {
    const names = byId([item(1, 1, 'a'), item(2, 2, 'a'), item(3, 3, 'a(1)'), item(4, 4, 'a')]);
    expect(names.get(1)).toBe('a');
    expect(names.get(3)).toBe('a(1)');
    expect(names.get(2)).toBe('a(2)');
    expect(names.get(4)).toBe('a(3)');
  });

  it('compares stems case-insensitively and keeps each item its own spelling', () => {
    const names = byId([item(1, 2, 'Photo'), item(2, 1, 'photo')]);
    expect(names.get(2)).toBe('photo');
    expect(names.get(1)).toBe('Photo(1)');
  });

  it('orders integer ids numerically (numbers and digit strings alike), before other ids; equal ids by position', () => {
    const names = byId([item(1, 'b', 'x'), item(2, '10', 'x'), item(3, 9, 'x'), item(4, 'a', 'x'), item(5, 9, 'x')]);
    expect(names.get(3)).toBe('x');
    expect(names.get(5)).toBe('x(1)');
    expect(names.get(2)).toBe('x(2)');
    expect(names.get(4)).toBe('x(3)');
    expect(names.get(1)).toBe('x(4)');
  });

  it('keeps only the colliding items in the plan, and the plan survives JSON', () => {
    const planner = new NamePlanner();
    const candidates = [item(1, 1, 'a'), item(2, 2, 'b'), item(3, 3, 'a')];
    for (const c of candidates) planner.see(c.stem);
    for (const c of candidates) planner.collect(c);
    const plan = NamePlan.fromJSON(JSON.parse(JSON.stringify(planner.plan())));
    expect(plan.size).toBe(1);
    expect(plan.stemFor(3)).toBe('a(1)');
    expect(plan.stemFor(1)).toBeUndefined();
  });

  it('gives each item the same name however the items are shuffled, and never one name twice', () => {
    const stems = fc.constantFrom('a', 'A', 'a(1)', 'a(2)', 'b', 'b(1)', 'c');
    const items = fc.uniqueArray(fc.record({ id: fc.integer({ min: 0, max: 50 }), stem: stems }), { minLength: 1, maxLength: 40, selector: (x) => x.id });
    fc.assert(
      fc.property(items, fc.infiniteStream(fc.nat()), (list, randomness) => {
        const keyed = list.map((x, i) => ({ ...x, index: i + 1 }));
        const shuffled = [...keyed].sort(() => (randomness.next().value % 3) - 1);
        const once = byId(keyed);
        const again = byId(shuffled);
        for (const x of keyed) expect(again.get(x.index)).toBe(once.get(x.index));
        const lower = [...once.values()].map((s) => s.toLowerCase());
        expect(new Set(lower).size).toBe(lower.length);
      }),
    );
  });
});

describe('PlannedNames', () => {
  it('names planned items by the plan and the others by their own stem', () => {
    const names = new PlannedNames(new NamePlan(new Map([[2, 'a(1)']])));
    expect(names.allocate('a.jpg', 'x', 1)).toEqual({ stem: 'a', originalFileName: 'a.jpg', jsonFileName: 'a.json' });
    expect(names.allocate('a.png', 'x', 2)).toEqual({ stem: 'a(1)', originalFileName: 'a(1).png', jsonFileName: 'a(1).json' });
  });

  it('refuses a name handed out already (the items are not the ones the plan was made from)', () => {
    const names = new PlannedNames(new NamePlan());
    names.allocate('a.jpg', 'x', 1);
    expect(() => names.allocate('A.png', 'x', 2)).toThrow(expect.objectContaining({ code: ErrorCode.NAME_PLAN_MISMATCH }));
  });
});
