// The framework's memory reserve (issue 17, part 6): a share of HBM per chip (catalog `memoryReserve`, 0.10 assumed on
// every shipped chip, overridable) is taken off before a layout is said to fit, and the verdict names it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioYaml, resolveScenario, runScenario, validateScenarioObject } from '../../src/sim/index.ts';
import { DEFAULT_MEMORY_RESERVE, getChip, listChips, memoryReserveBytes } from '../../src/topology/index.ts';
import { memoryVerdict } from '../../src/workloads/index.ts';
import type { MemoryBreakdown } from '../../src/workloads/index.ts';

const GIB = 2 ** 30;
const breakdown = (total: number): MemoryBreakdown => ({ weights: total, gradients: 0, optimizerStates: 0, activations: 0, expertBuffers: 0, total, hostBytes: 0 });

describe('framework memory reserve', () => {
  it('every shipped chip states its reserve, and the default applies to one that does not', () => {
    for (const name of listChips()) {
      const chip = getChip(name);
      expect(chip.memoryReserve?.source, name).toBeTruthy();
      expect(memoryReserveBytes(chip)).toBeCloseTo(chip.hbmBytes.value * chip.memoryReserve!.value, 0);
    }
    const { memoryReserve: _, ...bare } = getChip('h100');
    expect(memoryReserveBytes(bare)).toBe(bare.hbmBytes.value * DEFAULT_MEMORY_RESERVE);
  });

  it('says a layout does not fit when it needs more than HBM less the reserve, and names the reserve', () => {
    expect(memoryVerdict(breakdown(57 * GIB), 64 * GIB, 6.4 * GIB)).toBeUndefined();
    expect(memoryVerdict(breakdown(60 * GIB), 64 * GIB, 6.4 * GIB)).toMatch(/^does not fit: needs 60\.0 GiB, has 57\.6 GiB of 64\.0 after the framework's 6\.4 GiB \(short by 2\.4 GiB\)/);
    expect(memoryVerdict(breakdown(60 * GIB), 64 * GIB)).toBeUndefined();
  });

  it('turns a run that fits in bare HBM into one that does not, and back when the reserve is overridden', async () => {
    const yaml = readFileSync('scenarios/default.yaml', 'utf8').replace('  trace: true', '  trace: false') // spans are not read here;
    const summaryWith = async (chip: string) => {
      const text = yaml.replace('  network: analytical', `  network: analytical\n  overrides: { chip: ${chip} }`);
      const scenario = validateScenarioObject(parseScenarioYaml(text, 'reserve.yaml'), 'reserve.yaml');
      return (await runScenario(resolveScenario(scenario), { recordLinkActivity: false, recordTraffic: false, criticalPath: false })).summary;
    };
    const tight = await summaryWith(`{ hbmBytes: ${2.6 * GIB} }`);
    expect(tight.peakMemoryBytes).toBeLessThan(2.6 * GIB);
    expect(tight.memory.reserveBytes).toBeCloseTo(0.26 * GIB, 0);
    expect(tight.memory.fits).toBe(false);
    expect(tight.memory.verdict).toMatch(/after the framework's 0\.3 GiB/);
    const none = await summaryWith(`{ hbmBytes: ${2.6 * GIB}, memoryReserve: 0 }`);
    expect(none.memory.fits).toBe(true);
    expect(none.memory.reserveBytes).toBe(0);
  }, 60_000);
});
