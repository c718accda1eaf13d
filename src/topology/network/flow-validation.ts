// Checks that the flows of a phase name real devices and carry a finite, non-negative number of bytes: validateFlows
// throws naming the first bad flow; flowsValid and packedPhaseValid are cheap yes/no checks that let a network model
// call validateFlows (and build its label) only when one of them fails.
import { InputError } from '../../engine/index.ts';
import type { Flow, PackedPlan } from './types.ts';

const isDevice = (device: number, devices: number): boolean => Number.isInteger(device) && device >= 0 && device < devices;

export function validateFlows(flows: readonly Flow[], devices: number, label: string): void {
  for (let i = 0; i < flows.length; i++) {
    const flow = flows[i] as Flow;
    if (!isDevice(flow.src, devices) || !isDevice(flow.dst, devices)) {
      const end = isDevice(flow.src, devices) ? 'dst' : 'src';
      throw new InputError(
        `${label}: flow ${i} has ${end} ${String(flow[end])}, which is not a device (devices are 0..${devices - 1})`,
      );
    }
    if (!Number.isFinite(flow.bytes) || flow.bytes < 0) {
      throw new InputError(`${label}: flow ${i} (${flow.src}→${flow.dst}) has bytes ${String(flow.bytes)}; expected a finite number ≥ 0`);
    }
  }
}

/** The cheap half of validateFlows: true when every flow has device ends and finite bytes ≥ 0. */
export function flowsValid(flows: readonly Flow[], devices: number): boolean {
  for (let i = 0; i < flows.length; i++) {
    const { src, dst, bytes } = flows[i] as Flow;
    if (!(Number.isInteger(src) && src >= 0 && src < devices && Number.isInteger(dst) && dst >= 0 && dst < devices && bytes >= 0 && bytes < Infinity)) return false;
  }
  return true;
}

/** True when every flow of the phase has device ends and finite bytes ≥ 0 (validateFlows names the first that has not). */
export function packedPhaseValid(plan: PackedPlan, phase: number, devices: number): boolean {
  const { src, dst, bytes } = plan;
  for (let f = plan.phaseStart[phase]!; f < plan.phaseStart[phase + 1]!; f++) {
    const s = src[f]!;
    const d = dst[f]!;
    const b = bytes[f]!;
    if (!(s >= 0 && s < devices && d >= 0 && d < devices && Number.isInteger(s) && Number.isInteger(d) && b >= 0 && b < Infinity)) return false;
  }
  return true;
}
