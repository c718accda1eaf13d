// Tests of link faults: a down spine link moves routes off it and ECMP uses what is left, cutting a leaf off
// fails loudly naming a cut pair, degraded links are scaled (both directions unless told otherwise), and a fault
// naming no link fails with close matches.
import { describe, expect, it } from 'vitest';
import { buildCluster, findLinks } from '../../src/topology/index.ts';
import type { Cluster, LinkFault } from '../../src/topology/index.ts';
import { routeProblem } from './route-checks.ts';

const LOCMOE = { preset: 'atlas-800-910a', servers: 8 } as const; // 2 leaves of 4 servers, 32 spines

function usesLink(cluster: Cluster, src: number, dst: number, name: string): boolean {
  return cluster.route(src, dst).some((id) => cluster.links[id]!.name === name);
}

describe('down links', () => {
  it('a downed spine link moves every route off it; routes stay valid paths', () => {
    const healthy = buildCluster(LOCMOE);
    const name = healthy.links[healthy.route(0, 32)[1]!]!.name; // leaf0↑spineK
    expect(name).toMatch(/^leaf0↑spine\d+$/);
    const faulty = buildCluster({ ...LOCMOE, faults: [{ link: name, state: 'down' }] });
    expect(faulty.linkByName(name)!.up).toBe(false);
    let moved = 0;
    for (let src = 0; src < 32; src++) {
      for (let dst = 32; dst < 64; dst++) {
        if (usesLink(healthy, src, dst, name)) moved++;
        expect(usesLink(faulty, src, dst, name)).toBe(false);
        expect(routeProblem(faulty, src, dst)).toBeUndefined();
      }
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('downing both directions by default: the reverse link is down too unless bothDirections is false', () => {
    const both = buildCluster({ ...LOCMOE, faults: [{ link: 'leaf1↑spine0', state: 'down' }] });
    expect(both.linkByName('spine0↓leaf1')!.up).toBe(false);
    const one = buildCluster({ ...LOCMOE, faults: [{ link: 'leaf1↑spine0', state: 'down', bothDirections: false }] });
    expect(one.linkByName('leaf1↑spine0')!.up).toBe(false);
    expect(one.linkByName('spine0↓leaf1')!.up).toBe(true);
  });

  it('a whole spine down (by glob): no route passes through it', () => {
    const cluster = buildCluster({ ...LOCMOE, faults: [{ link: '*spine5*', state: 'down' }] });
    expect(findLinks(cluster, '*spine5*').every((l) => !l.up)).toBe(true);
    for (let src = 0; src < 64; src += 3) {
      for (let dst = 0; dst < 64; dst += 5) expect(usesLink(cluster, src, dst, 'leaf0↑spine5') || usesLink(cluster, src, dst, 'leaf1↑spine5')).toBe(false);
    }
  });

  it('cutting all uplinks of a leaf fails loudly, naming a cut pair and the down links', () => {
    const cut = () => buildCluster({ ...LOCMOE, faults: [{ link: 'leaf1↑spine*', state: 'down' }] });
    expect(cut).toThrow(/cluster\.faults: devices 0 \(server 0, leaf0\) and 32 \(server 4, leaf1\) are cut off: .*leaf1↑spine0/);
    // One uplink left is enough: spine0..spine30 down leaves spine31 for every pair.
    const spared = buildCluster({ ...LOCMOE, faults: [{ link: 'leaf1↑spine?', state: 'down' }, { link: 'leaf1↑spine1?', state: 'down' }, { link: 'leaf1↑spine2?', state: 'down' }, { link: 'leaf1↑spine30', state: 'down' }] });
    expect(spared.links[spared.route(0, 32)[2]!]!.name).toBe('spine31↓leaf1');
  });

  it('a down NIC port or HCCS link cuts the pairs that need it', () => {
    expect(() => buildCluster({ ...LOCMOE, faults: [{ link: 's1.nic3↑leaf0', state: 'down' }] })).toThrow(/devices 11 \(server 1, leaf0\) and 0 /);
    expect(() => buildCluster({ preset: 'atlas-800t-a2', servers: 1, faults: [{ link: 'd2→d5', state: 'down', bothDirections: false }] })).toThrow(
      /devices 2 \(server 0\) and 5 \(server 0\) are cut off: .*d2→d5/,
    );
  });

  it('rail-optimised: rail uplinks down cut cross-rail pairs only when two servers share the group', () => {
    const lone: LinkFault[] = [{ link: 'su0.rail0↑*', state: 'down' }];
    expect(buildCluster({ preset: 'dgx-h100', servers: 1, faults: lone }).route(0, 1)).toHaveLength(2);
    expect(() => buildCluster({ preset: 'dgx-h100', servers: 2, faults: lone })).toThrow(/devices 0 \(server 0, su0\.rail0\) and 9 \(server 1, su0\.rail1\)/);
  });

  it('with a single leaf nothing needs a spine; with a second leaf the same faults cut', () => {
    const faults: LinkFault[] = [{ link: 'leaf*↑spine*', state: 'down' }];
    expect(() => buildCluster({ preset: 'atlas-800-910a', servers: 4, faults }).route(0, 31)).not.toThrow(); // one leaf: nothing cut
    expect(() => buildCluster({ preset: 'atlas-800-910a', servers: 5, faults })).toThrow(/cut off/);
  });
});

describe('degraded links', () => {
  it('scale bandwidth by the factor, in both directions by default; factors multiply', () => {
    const healthy = buildCluster(LOCMOE);
    const cluster = buildCluster({
      ...LOCMOE,
      faults: [
        { link: 'leaf0↑spine2', state: { bandwidthFactor: 0.5 } },
        { link: 'leaf0↑spine2', state: { bandwidthFactor: 0.5 }, bothDirections: false },
      ],
    });
    const base = healthy.linkByName('leaf0↑spine2')!.bandwidth;
    expect(cluster.linkByName('leaf0↑spine2')).toMatchObject({ bandwidth: base * 0.25, bandwidthFactor: 0.25, up: true });
    expect(cluster.linkByName('spine2↓leaf0')).toMatchObject({ bandwidth: base * 0.5, bandwidthFactor: 0.5 });
    expect(cluster.linkByName('leaf0↑spine3')!.bandwidth).toBe(base);
    expect(cluster.route(0, 32)).toEqual(healthy.route(0, 32)); // degrading does not reroute
  });
});

describe('fault errors', () => {
  it('a name that matches no link errors naming cluster.faults[i].link with close matches', () => {
    const faults: LinkFault[] = [{ link: 'leaf0↑spine3', state: 'down' }, { link: 'leaf0↑spine99', state: 'down' }];
    expect(() => buildCluster({ ...LOCMOE, faults })).toThrow(/cluster\.faults\[1\]\.link: "leaf0↑spine99" names no link.*close matches: leaf0↑spine9, /);
    expect(() => buildCluster({ ...LOCMOE, faults: [{ link: 'lef0*', state: 'down' }] })).toThrow(/close matches: .*leaf0/);
  });

  it('a bad state or factor errors naming the field', () => {
    const bad = [{ link: 'leaf0↑spine3', state: { bandwidthFactor: 1.5 } }] as LinkFault[];
    expect(() => buildCluster({ ...LOCMOE, faults: bad })).toThrow(/cluster\.faults\[0\]\.state\.bandwidthFactor: .*<=1/);
    const typo = [{ link: 'leaf0↑spine3', state: 'dwon' }] as unknown as LinkFault[];
    expect(() => buildCluster({ ...LOCMOE, faults: typo })).toThrow(/cluster\.faults\[0\]\.state: expected "down" or \{ bandwidthFactor/);
  });
});
