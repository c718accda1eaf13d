// Checks that the flows of a phase name real devices and carry a finite, non-negative number of bytes.
import { InputError } from '../../engine/index.ts';
import type { Flow } from './types.ts';

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
