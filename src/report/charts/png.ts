// SVG → PNG with resvg. Fonts are found robustly: DejaVu Sans (what the charts are laid out for) in the usual
// Linux, macOS and Windows places or $MOESIM_CHART_FONT_DIR, then other common sans fonts; when none is found,
// the system fonts are loaded and the first one is the default, so text is always drawn.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

interface FontCandidate {
  family: string;
  files: string[];
}

const CANDIDATES: FontCandidate[] = [
  { family: 'DejaVu Sans', files: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] },
  { family: 'Liberation Sans', files: ['LiberationSans-Regular.ttf', 'LiberationSans-Bold.ttf'] },
  { family: 'Arial', files: ['Arial.ttf', 'Arial Bold.ttf'] },
  { family: 'Arial', files: ['arial.ttf', 'arialbd.ttf'] },
];

/** Directories searched for the candidate font files, most specific first. */
export function fontSearchDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = homedir();
  const dirs = [
    env.MOESIM_CHART_FONT_DIR,
    '/usr/share/fonts/truetype/dejavu',
    '/usr/share/fonts/dejavu',
    '/usr/share/fonts/TTF',
    '/usr/share/fonts/dejavu-sans-fonts',
    '/usr/share/fonts/truetype/liberation',
    '/usr/share/fonts/liberation-sans',
    '/usr/local/share/fonts',
    '/opt/homebrew/share/fonts',
    join(home, '.fonts'),
    join(home, '.local/share/fonts'),
    join(home, 'Library/Fonts'),
    '/Library/Fonts',
    '/System/Library/Fonts/Supplemental',
    env.WINDIR ? join(env.WINDIR, 'Fonts') : 'C:\\Windows\\Fonts',
  ];
  return dirs.filter((d): d is string => typeof d === 'string' && d.length > 0);
}

export interface ChartFonts {
  /** The family found on disk, or undefined when falling back to the system fonts. */
  family: string | undefined;
  files: string[];
}

/** The first candidate family whose regular face exists in one of the directories (bold is optional). */
export function findChartFonts(dirs: readonly string[] = fontSearchDirs()): ChartFonts {
  for (const candidate of CANDIDATES) {
    for (const dir of dirs) {
      const [regular, ...others] = candidate.files.map((f) => join(dir, f));
      if (regular && existsSync(regular)) return { family: candidate.family, files: [regular, ...others.filter((f) => existsSync(f))] };
    }
  }
  return { family: undefined, files: [] };
}

let cachedFonts: ChartFonts | undefined;

/** resvg options for the given fonts: only those files when found (fast, reproducible), else the system fonts. */
export function resvgOptions(widthPx: number, fonts: ChartFonts = (cachedFonts ??= findChartFonts())): ResvgRenderOptions {
  const font: NonNullable<ResvgRenderOptions['font']> = fonts.family
    ? { loadSystemFonts: false, fontFiles: fonts.files, defaultFontFamily: fonts.family, sansSerifFamily: fonts.family }
    : { loadSystemFonts: true };
  return { font, fitTo: { mode: 'width', value: Math.round(widthPx) }, background: '#ffffff', logLevel: 'off' };
}

/** Renders a chart's SVG to a PNG of the given width (height follows the SVG's aspect ratio). */
export function svgToPng(svg: string, widthPx: number, fonts?: ChartFonts): Buffer {
  if (!(widthPx >= 1)) throw new Error(`svgToPng: width must be at least 1 px, got ${widthPx}`);
  return new Resvg(svg, resvgOptions(widthPx, fonts)).render().asPng();
}
