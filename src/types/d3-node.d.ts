// Minimal types for d3-node 4.0.2, which ships none: only the parts src/report/charts uses
// (a jsdom-backed SVG root, selections to build it, and a few d3 scales, formats and colour helpers).
declare module 'd3-node' {
  export interface D3Selection {
    append(tag: string): D3Selection;
    attr(name: string, value: string | number): D3Selection;
    text(value: string): D3Selection;
  }

  export interface D3ContinuousScale {
    (value: number): number;
    domain(domain: readonly number[]): D3ContinuousScale;
    domain(): number[];
    range(range: readonly number[]): D3ContinuousScale;
    range(): number[];
    nice(count?: number): D3ContinuousScale;
    clamp(clamp: boolean): D3ContinuousScale;
    ticks(count?: number): number[];
    tickFormat(count?: number, specifier?: string): (value: number) => string;
  }

  export interface D3LogScale extends D3ContinuousScale {
    base(base: number): D3LogScale;
  }

  export interface D3Module {
    scaleLinear(): D3ContinuousScale;
    scaleLog(): D3LogScale;
    format(specifier: string): (value: number) => string;
    interpolateViridis(t: number): string;
    hcl(color: string): { h: number; c: number; l: number };
  }

  export interface D3NodeOptions {
    selector?: string;
    container?: string;
    styles?: string;
  }

  export class D3Node {
    constructor(options?: D3NodeOptions);
    readonly d3: D3Module;
    createSVG(width?: number, height?: number, attrs?: Record<string, string | number>): D3Selection;
    svgString(): string;
  }
}
