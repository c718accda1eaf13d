// Tests of scenario overrides: numbers replace figure values with provenance kept, the preset stays intact,
// and unknown fields, non-numbers and out-of-range values fail naming the field.
import { describe, expect, it } from 'vitest';
import { applyChipOverrides, applyOverrides, buildCluster, getChip, getSystem } from '../../src/topology/index.ts';
import type { SystemOverrides } from '../../src/topology/index.ts';

describe('applyOverrides', () => {
  const a2 = getSystem('atlas-800t-a2');

  it('replaces a figure value and records the override and the old figure in the source', () => {
    const changed = applyOverrides(a2, { fabric: { nic: { bandwidth: 22.6e9 } } });
    expect(changed.fabric.nic.bandwidth.value).toBe(22.6e9);
    expect(changed.fabric.nic.bandwidth.source).toMatch(/^scenario override \(was 25000000000: HARDWARE\.md/);
    expect(changed.intraServer.link.bandwidth.value).toBe(28e9);
    expect(a2.fabric.nic.bandwidth.value).toBe(25e9);
  });

  it('replaces plain counts and figures deep inside a discriminated union', () => {
    const system = getSystem('atlas-800-910a');
    const changed = applyOverrides(system, { intraServer: { pcieLink: { bandwidth: 16e9 } }, messageLatency: 0 });
    expect(changed.intraServer.kind === 'mesh-groups-pcie' && changed.intraServer.pcieLink.bandwidth.value).toBe(16e9);
    expect(changed.messageLatency.value).toBe(0);
  });

  it('can add a power figure the preset lacks', () => {
    const changed = applyOverrides(getSystem('atlas-800-910a'), { powerWatts: 5500 });
    expect(changed.powerWatts).toEqual({ value: 5500, source: 'scenario override' });
  });

  it('rejects an unknown field, naming its path and the fields that exist', () => {
    const typo = { intraServer: { link: { bandwidht: 1 } } } as unknown as SystemOverrides;
    expect(() => applyOverrides(a2, typo)).toThrow(/overrides\.intraServer\.link\.bandwidht: no such field.*bandwidth/);
  });

  it('rejects a non-number', () => {
    const bad = { fabric: { nic: { bandwidth: '25 GB/s' } } } as unknown as SystemOverrides;
    expect(() => applyOverrides(a2, bad)).toThrow(/overrides\.fabric\.nic\.bandwidth: expected a finite number/);
  });

  it('rejects an override of a name or kind', () => {
    const bad = { chip: 3 } as unknown as SystemOverrides;
    expect(() => applyOverrides(a2, bad)).toThrow(/overrides\.chip: "910b3" is not a number/);
  });

  it('re-validates: a negative bandwidth fails naming the field', () => {
    expect(() => applyOverrides(a2, { intraServer: { link: { bandwidth: -1 } } })).toThrow(
      /intraServer\.link\.bandwidth\.value/,
    );
  });

  it('applies chip overrides', () => {
    const chip = applyChipOverrides(getChip('910b3'), { peakFlopsBf16: 313e12, gemmEfficiency: 0.8 });
    expect(chip.peakFlopsBf16.value).toBe(313e12);
    expect(() => applyChipOverrides(getChip('910b3'), { gemmEfficiency: 1.5 })).toThrow(/gemmEfficiency\.value/);
  });

  it('overrides a flat attention efficiency, and adds one in place of a GPU\'s measured table only when both passes are given', () => {
    expect(applyChipOverrides(getChip('910b3'), { attentionEfficiency: { forward: 0.6 } }).attentionEfficiency?.forward.value).toBe(0.6);
    expect(getChip('h100').attentionEfficiency).toBeUndefined();
    const h100 = applyChipOverrides(getChip('h100'), { attentionEfficiency: { forward: 0.55, backward: 0.4 } });
    expect(h100.attentionEfficiency?.backward).toEqual({ value: 0.4, source: 'scenario override' });
    expect(() => applyChipOverrides(getChip('h100'), { attentionEfficiency: { forward: 0.55 } })).toThrow(/attentionEfficiency: .*missing backward/);
    expect(() => applyChipOverrides(getChip('h100'), { attentionEfficiency: { forward: 0.55, backward: 2 } })).toThrow(/attentionEfficiency\.backward\.value/);
    expect(() => applyChipOverrides(getChip('h100'), { attentionEfficiency: { forward: 0.5, backward: 0.4, causal: 1 } } as never)).toThrow(/attentionEfficiency\.causal: no such field/);
  });
});

describe('buildCluster with overrides', () => {
  it('builds links from the overridden figures', () => {
    const cluster = buildCluster({
      preset: 'atlas-800t-a2',
      servers: 2,
      overrides: { system: { intraServer: { link: { bandwidth: 20e9, latency: 0 } } }, chip: { peakFlopsBf16: 313e12 } },
    });
    const hccs = cluster.links.filter((l) => l.kind === 'hccs');
    expect(hccs.length).toBeGreaterThan(0);
    const efficiency = cluster.system.intraServer.link.efficiency?.value ?? 1;
    expect(efficiency).toBeLessThan(1); // the A2 catalog calibrates HCCS efficiency; it stays under the override
    for (const link of hccs) {
      expect(link.bandwidth).toBe(20e9 * efficiency);
      expect(link.latencyNs).toBe(0);
    }
    expect(cluster.chip.peakFlopsBf16.value).toBe(313e12);
  });
});
