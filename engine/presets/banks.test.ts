import { describe, expect, it } from 'vitest';
import { bankList, formatProblem, validateBanks, type Problem } from './index.ts';
import { counterIds } from './test-kit.ts';

const lines = (problems: readonly Problem[]): string[] => problems.map(formatProblem);

const GOOD = {
  format: 'glassforest-banks',
  version: 1,
  banks: [
    {
      id: 'b-opening',
      name: 'Opening',
      entries: [
        { preset: 'p-dusk', trigger: { key: '1', midi: { channel: 9, note: 36 }, osc: '/set/dusk', quantize: 'bar' } },
        { preset: 'p-veil', trigger: { key: '2', quantize: 'beat' } },
        'p-haze',
      ],
    },
    { id: 'b-finale', name: 'Finale', entries: [{ preset: 'p-dusk', trigger: { key: 'q' } }] },
  ],
};

describe('preset banks', () => {
  it('reads a valid bank list, filling trigger defaults', () => {
    const r = validateBanks(GOOD, { presetIds: ['p-dusk', 'p-veil', 'p-haze'] });
    expect(r.problems).toEqual([]);
    expect(r.banks).toEqual([
      {
        id: 'b-opening',
        name: 'Opening',
        entries: [
          { preset: 'p-dusk', trigger: { key: '1', midi: { channel: 9, note: 36 }, osc: '/set/dusk', quantize: 'bar' } },
          { preset: 'p-veil', trigger: { key: '2', midi: null, osc: null, quantize: 'beat' } },
          { preset: 'p-haze', trigger: { key: null, midi: null, osc: null, quantize: 'none' } },
        ],
      },
      // The same preset may sit in two banks (a set list plays it twice).
      { id: 'b-finale', name: 'Finale', entries: [{ preset: 'p-dusk', trigger: { key: 'q', midi: null, osc: null, quantize: 'none' } }] },
    ]);
    // Written back as a bank list, it reads the same.
    const again = validateBanks(JSON.stringify(bankList(r.banks)), { presetIds: ['p-dusk', 'p-veil', 'p-haze'] });
    expect(again.banks).toEqual(r.banks);
    expect(again.problems).toEqual([]);
  });

  it('drops entries for presets that do not exist and reports bad triggers by path', () => {
    const input = {
      banks: [
        {
          id: 'b-1',
          name: 'One',
          entries: [
            { preset: 'p-gone' },
            { preset: 'p-dusk', trigger: { key: '', midi: { channel: 16, note: 1 }, osc: 'set dusk', quantize: 'phrase' } },
            { preset: '../../etc', trigger: {} },
            42,
            { preset: 'p-veil', trigger: { key: 'a', colour: 'red' }, extra: 1 },
          ],
        },
      ],
    };
    const r = validateBanks(input, { presetIds: ['p-dusk', 'p-veil'] });
    expect(lines(r.problems)).toEqual([
      'banks[0].entries[0].preset: no preset "p-gone"; entry dropped',
      'banks[0].entries[1].trigger.key: expected a key name like "1", "q" or "F5", got ""; removed',
      'banks[0].entries[1].trigger.midi: expected {channel: 0..15, note: 0..127}, got {"channel":16,"note":1}; removed',
      'banks[0].entries[1].trigger.osc: expected an OSC address like "/set/dusk", got "set dusk"; removed',
      'banks[0].entries[1].trigger.quantize: expected one of none, beat, bar, got "phrase"; none is used',
      'banks[0].entries[2].preset: expected a preset id, got "../../etc"; entry dropped',
      'banks[0].entries[3]: expected {preset, trigger}, got a number 42; dropped',
      'banks[0].entries[4].extra: unknown field; dropped',
      'banks[0].entries[4].trigger.colour: unknown field; dropped',
    ]);
    expect(r.banks[0].entries).toEqual([
      { preset: 'p-dusk', trigger: { key: null, midi: null, osc: null, quantize: 'none' } },
      { preset: 'p-veil', trigger: { key: 'a', midi: null, osc: null, quantize: 'none' } },
    ]);
  });

  it('gives one trigger to one entry: a second use is removed and named', () => {
    const input = [
      { id: 'b-1', name: 'A', entries: [{ preset: 'p-1', trigger: { key: '1', midi: { channel: 0, note: 60 }, osc: '/go/1' } }] },
      { id: 'b-2', name: 'B', entries: [{ preset: 'p-2', trigger: { key: '1', midi: { channel: 0, note: 60 }, osc: '/go/1', quantize: 'beat' } }] },
    ];
    const r = validateBanks(input);
    expect(lines(r.problems)).toEqual([
      '[1].entries[0].trigger.key: key "1" already fires [0].entries[0]; removed here',
      '[1].entries[0].trigger.midi: note C4 ch 1 already fires [0].entries[0]; removed here',
      '[1].entries[0].trigger.osc: address "/go/1" already fires [0].entries[0]; removed here',
    ]);
    expect(r.banks[1].entries[0].trigger).toEqual({ key: null, midi: null, osc: null, quantize: 'beat' });
  });

  it('renames duplicate and missing bank ids, names unnamed banks', () => {
    const r = validateBanks([{ id: 'b-x', name: 'X' }, { id: 'b-x', name: 'Y' }, { entries: [] }], { makeId: counterIds('b') });
    expect(r.banks.map((b) => `${b.id} ${b.name}`)).toEqual(['b-x X', 'b-1 Y', 'b-2 Bank 3']);
    expect(lines(r.problems)).toEqual(['[1].id: duplicate id "b-x"; given "b-1"', '[2].id: missing; given "b-2"']);
  });

  it('refuses what is not a bank list, and newer versions', () => {
    expect(lines(validateBanks('nope').problems)[0]).toMatch(/^the bank list is not valid JSON/);
    expect(lines(validateBanks({ format: 'glassforest-preset', banks: [] }).problems)).toEqual(['format: expected "glassforest-banks", got "glassforest-preset": not a Glassforest bank list']);
    expect(lines(validateBanks({ format: 'glassforest-banks', version: 2, banks: [] }).problems)).toEqual([
      'version: this bank list is version 2, newer than this Glassforest reads (up to 1); update Glassforest to open it',
    ]);
    expect(lines(validateBanks(7).problems)).toEqual(['expected a list of banks, got a number 7']);
    expect(validateBanks({ banks: new Array(100).fill({}) }).banks).toHaveLength(64);
  });
});
