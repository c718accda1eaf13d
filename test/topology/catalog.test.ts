// Tests of the hardware catalog: every file loads and validates, every figure carries a source, key figures
// match HARDWARE.md, and bad files or unknown names fail with messages naming the file, field or choices.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalogDirectory, getChip, getSystem, listChips, listPresets, loadCatalog } from '../../src/topology/index.ts';

const EXPECTED_CHIPS = ['910a', '910b1', '910b2', '910b3', '910b4', '910c', 'a100', 'h100', 'h800'];
const EXPECTED_SYSTEMS = ['atlas-800-910a', 'atlas-800t-a2', 'cloudmatrix-384', 'dgx-a100', 'dgx-h100', 'generic', 'hgx-h800'];
/** Plain numbers allowed outside a figure: counts, not measured quantities. */
const COUNT_FIELDS = new Set(['devicesPerServer', 'groupSize', 'nicsPerServer']);

/** Collects problems: numbers that are neither a figure's value nor a count, and figures without a source. */
function figureProblems(value: unknown, path: string, problems: string[]): string[] {
  if (typeof value === 'number') {
    const key = path.split('.').at(-1) ?? '';
    if (key !== 'value' && !COUNT_FIELDS.has(key)) problems.push(`${path}: bare number outside a figure`);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['value'] === 'number') {
      const source = record['source'];
      if (typeof source !== 'string' || source.trim().length < 10) problems.push(`${path}: figure without a real source`);
      if (record['assumed'] !== true && typeof source === 'string' && /^assumption/i.test(source)) {
        problems.push(`${path}: source says assumption but assumed is not true`);
      }
    }
    for (const [key, inner] of Object.entries(record)) figureProblems(inner, `${path}.${key}`, problems);
  }
  return problems;
}

describe('hardware catalog', () => {
  const catalog = loadCatalog();

  it('loads every chip and system of the issue', () => {
    expect(listChips(catalog)).toEqual(EXPECTED_CHIPS);
    expect(listPresets(catalog)).toEqual(EXPECTED_SYSTEMS);
  });

  it('gives every figure a source and has no bare numbers', () => {
    for (const [name, chip] of catalog.chips) expect(figureProblems(chip, `chip ${name}`, [])).toEqual([]);
    for (const [name, system] of catalog.systems) expect(figureProblems(system, `system ${name}`, [])).toEqual([]);
  });

  it('the figure checker itself catches a figure without a source and a bare number', () => {
    expect(figureProblems({ a: { value: 1, source: '' }, b: 3 }, 'x', [])).toHaveLength(2);
  });

  it('holds the HARDWARE.md figures for the A2 server and its chip', () => {
    const a2 = getSystem('atlas-800t-a2');
    expect(a2.chip).toBe('910b3');
    expect(a2.devicesPerServer).toBe(8);
    expect(a2.intraServer.kind).toBe('full-mesh');
    expect(a2.intraServer.link.bandwidth.value).toBe(28e9);
    expect(a2.fabric.nic.kind).toBe('roce');
    expect(a2.fabric.nic.bandwidth.value).toBe(25e9);
    expect(getChip('910b3').peakFlopsBf16.value).toBe(294.9e12);
    expect(getChip('910b3').hbmBytes.value).toBe(64 * 2 ** 30);
  });

  it('gives every 910B variant the generation\'s calibrated GEMM efficiency, below what a bare large GEMM reaches', () => {
    const variants = ['910b1', '910b2', '910b3', '910b4'].map((n) => getChip(n));
    for (const chip of variants) {
      expect(chip.gemmEfficiency.value).toBe(variants[0]!.gemmEfficiency.value);
      // Flash attention is tied to it by Hopper's measured ratios (scripts/calibrate-ascend-910b.ts ATTENTION_RATIO).
      expect(chip.attentionEfficiency?.forward.value).toBeCloseTo(chip.gemmEfficiency.value * 0.806, 2);
      expect(chip.attentionEfficiency?.backward.value).toBeCloseTo(chip.gemmEfficiency.value * 0.595, 2);
      expect(chip.computeBasis).toMatch(/^calibrated: .*mindspeed-llama2-7b-tokens-per-npu/);
    }
    // An effective whole-step figure: below a bare large GEMM's 328 TFLOPS on a 910B1 (HARDWARE.md).
    expect(variants[0]!.gemmEfficiency.value).toBeLessThan(328e12 / getChip('910b1').peakFlopsBf16.value);
  });

  it('reads NVLink figures as bidirectional totals: H100 450 GB/s and H800 200 GB/s per direction', () => {
    expect(getSystem('dgx-h100').intraServer.link.bandwidth.value).toBe(450e9);
    expect(getSystem('hgx-h800').intraServer.link.bandwidth.value).toBe(200e9);
    expect(getSystem('hgx-h800').chip).toBe('h800');
    expect(getChip('h800').variantOf).toBe('h100');
    expect(getChip('h800').peakFlopsBf16.value).toBe(getChip('h100').peakFlopsBf16.value);
  });

  it('uses 12 µs launch overhead on Ascend and 5 µs on GPUs', () => {
    for (const chip of catalog.chips.values()) {
      expect(chip.kernelLaunchOverhead.value).toBe(chip.vendor === 'huawei' ? 12e-6 : 5e-6);
    }
  });

  it('returns frozen specs so the shared catalog cannot be edited by accident', () => {
    const a2 = getSystem('atlas-800t-a2');
    expect(Object.isFrozen(a2.intraServer.link.bandwidth)).toBe(true);
  });

  it('rejects an unknown preset with the list of accepted names', () => {
    let message = '';
    try {
      getSystem('dgx-h200');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('dgx-h200');
    for (const name of EXPECTED_SYSTEMS) expect(message).toContain(name);
  });

  it('rejects an unknown chip with the list of accepted chips', () => {
    expect(() => getChip('910z')).toThrow(/910z.*910a.*910b3.*h800/);
  });

  it('finds its directory relative to the module', () => {
    expect(defaultCatalogDirectory().replace(/\/$/, '').endsWith('catalog')).toBe(true);
  });
});

describe('catalog validation errors', () => {
  const source = defaultCatalogDirectory();
  function copyCatalog(edit: (dir: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'moesim-catalog-'));
    for (const sub of ['chips', 'systems']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'chips', '910b3.yaml'), readFileSync(join(source, 'chips', '910b3.yaml')));
    writeFileSync(join(dir, 'systems', 'atlas-800t-a2.yaml'), readFileSync(join(source, 'systems', 'atlas-800t-a2.yaml')));
    edit(dir);
    return dir;
  }

  it('accepts the unedited copy', () => {
    expect(listPresets(loadCatalog(copyCatalog(() => {})))).toEqual(['atlas-800t-a2']);
  });

  it('names the file and field of a figure without a source', () => {
    const dir = copyCatalog((d) => {
      const path = join(d, 'chips', '910b3.yaml');
      const text = readFileSync(path, 'utf8').replace(/(hbmBandwidth:\n {2}value: 1.6e12\n) {2}source: [^\n]*\n/, '$1');
      writeFileSync(path, text);
    });
    expect(() => loadCatalog(dir)).toThrow(/910b3\.yaml: hbmBandwidth\.source/);
  });

  it('names the file and field of a non-numeric value', () => {
    const dir = copyCatalog((d) => {
      const path = join(d, 'systems', 'atlas-800t-a2.yaml');
      writeFileSync(path, readFileSync(path, 'utf8').replace('value: 28.0e9', 'value: fast'));
    });
    expect(() => loadCatalog(dir)).toThrow(/atlas-800t-a2\.yaml: intraServer\.link\.bandwidth\.value/);
  });

  it('rejects a name that does not match the file name', () => {
    const dir = copyCatalog((d) => {
      writeFileSync(join(d, 'chips', 'other.yaml'), readFileSync(join(d, 'chips', '910b3.yaml')));
    });
    expect(() => loadCatalog(dir)).toThrow(/other\.yaml: name: "910b3" must match the file name "other"/);
  });

  it('rejects a system whose chip is not in the catalog', () => {
    const dir = copyCatalog((d) => {
      const path = join(d, 'systems', 'atlas-800t-a2.yaml');
      writeFileSync(path, readFileSync(path, 'utf8').replace('chip: 910b3', 'chip: 910b9'));
    });
    expect(() => loadCatalog(dir)).toThrow(/chip: unknown chip "910b9"; known chips: 910b3/);
  });

  it('rejects a group size that does not divide the server', () => {
    const dir = copyCatalog((d) => {
      writeFileSync(
        join(d, 'systems', 'atlas-800-910a.yaml'),
        readFileSync(join(source, 'systems', 'atlas-800-910a.yaml'), 'utf8').replace('groupSize: 4', 'groupSize: 3'),
      );
      writeFileSync(join(d, 'chips', '910a.yaml'), readFileSync(join(source, 'chips', '910a.yaml')));
    });
    expect(() => loadCatalog(dir)).toThrow(/atlas-800-910a\.yaml: intraServer\.groupSize: groupSize 3 must divide/);
  });
});
