// Link lookup by name or glob, and link faults. A fault names links (exact name, or a glob where `*` matches
// any run of characters and `?` one character, so `leaf0?spine*` matches every uplink of leaf0 whichever arrow)
// and sets them `down` (no route uses them; ECMP picks among what is left) or degraded ({ bandwidthFactor }:
// bandwidth × factor). By default a fault also hits the reverse direction of each link it names (a cable fails
// both ways); `bothDirections: false` limits it to the named direction. Several faults on one link: down wins,
// bandwidth factors multiply.
import { InputError } from '../../engine/index.ts';
import type { Link } from './types.ts';
import { MIN_BANDWIDTH_FACTOR, linkFaultSchema } from './link-fault-schema.ts';
import type { LinkFault } from './link-fault-schema.ts';

/** What link lookup needs from a cluster (or from the graph while building). */
export interface NamedLinks {
  readonly links: readonly Link[];
  linkByName(name: string): Link | undefined;
}

function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

/** Links whose name equals `pattern`, or matches it as a glob (`*` any run, `?` one character), in id order. */
export function findLinks(cluster: NamedLinks, pattern: string): Link[] {
  if (!isGlob(pattern)) {
    const link = cluster.linkByName(pattern);
    return link === undefined ? [] : [link];
  }
  const regex = globToRegExp(pattern);
  return cluster.links.filter((link) => regex.test(link.name));
}

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** Up to `count` link names closest to `pattern` (wildcards removed) by edit distance; ties in id order. */
export function closeLinkNames(cluster: NamedLinks, pattern: string, count = 5): string[] {
  const target = pattern.replace(/[*?]/g, '');
  const scored = cluster.links.map((link) => ({ name: link.name, distance: editDistance(target, link.name), id: link.id }));
  scored.sort((a, b) => a.distance - b.distance || a.id - b.id);
  return scored.slice(0, count).map((s) => s.name);
}

export interface FaultedLinks {
  readonly links: readonly Link[];
  /** down[id] === 1 for links a fault took down. */
  readonly down: Uint8Array;
  readonly anyDown: boolean;
}

/** Applies faults to built links; errors name `<where>[i]` and, for a name that matches nothing, close matches. */
export function applyLinkFaults(cluster: NamedLinks, faults: readonly LinkFault[], where = 'cluster.faults'): FaultedLinks {
  const count = cluster.links.length;
  const down = new Uint8Array(count);
  const factor = new Float64Array(count).fill(1);
  faults.forEach((raw, i) => {
    const field = `${where}[${i}]`;
    const parsed = linkFaultSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue && issue.path.length > 0 ? `.${issue.path.map(String).join('.')}` : '';
      throw new InputError(`${field}${path}: ${issue?.message ?? 'invalid fault'}`, `${field}${path}`);
    }
    const fault = parsed.data;
    const matched = findLinks(cluster, fault.link);
    if (matched.length === 0) {
      throw new InputError(
        `${field}.link: "${fault.link}" names no link of this cluster; close matches: ${closeLinkNames(cluster, fault.link).join(', ')} ` +
          '(a glob may use * for any run of characters and ? for one, e.g. "leaf0?spine*")',
        `${field}.link`,
      );
    }
    for (const link of matched) {
      const targets = fault.bothDirections === false ? [link.id] : [link.id, link.id ^ 1];
      for (const id of targets) {
        if (fault.state === 'down') down[id] = 1;
        else {
          factor[id] = factor[id]! * fault.state.bandwidthFactor;
          if (factor[id]! < MIN_BANDWIDTH_FACTOR) {
            throw new InputError(`${field}.state.bandwidthFactor: the faults on ${cluster.links[id]!.name} multiply to ${factor[id]!.toExponential(2)} of its bandwidth, below ${MIN_BANDWIDTH_FACTOR}; use state: down for a link that slow`, `${field}.state`);
          }
        }
      }
    }
  });
  let anyDown = false;
  const links = cluster.links.map((link) => {
    const isDown = down[link.id] === 1;
    const f = factor[link.id]!;
    anyDown ||= isDown;
    if (!isDown && f === 1) return link;
    return Object.freeze({ ...link, bandwidth: link.bandwidth * f, up: !isDown, bandwidthFactor: f });
  });
  return { links, down, anyDown };
}
