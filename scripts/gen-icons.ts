import * as fs from 'fs';
import * as path from 'path';
import { encodePng } from './png';
import { toolRoot } from './paths';

/**
 * Draws the extension and task icons (a shield with a white glyph) and writes them as PNG.
 * Run `node out/scripts/gen-icons.js [outDir]` after changing a colour or glyph; the PNGs are committed.
 */

type Rgb = [number, number, number];
type Segment = [number, number, number, number];

export interface IconSpec {
  file: string;
  size: number;
  colour: Rgb;
  glyph: Glyph;
}

export type Glyph = 'check' | 'up' | 'down' | 'regions' | 'probe' | 'echo' | 'dot';

const GLYPHS: Record<Glyph, { segments: Segment[]; rings?: Array<[number, number, number]> }> = {
  check: { segments: [[0.33, 0.5, 0.45, 0.63], [0.45, 0.63, 0.68, 0.37]] },
  up: { segments: [[0.5, 0.3, 0.5, 0.68], [0.35, 0.45, 0.5, 0.3], [0.5, 0.3, 0.65, 0.45]] },
  down: { segments: [[0.5, 0.28, 0.5, 0.64], [0.35, 0.5, 0.5, 0.65], [0.5, 0.65, 0.65, 0.5], [0.33, 0.74, 0.67, 0.74]] },
  regions: {
    segments: [[0.38, 0.36, 0.38, 0.68], [0.28, 0.46, 0.38, 0.36], [0.38, 0.36, 0.48, 0.46], [0.62, 0.36, 0.62, 0.68], [0.52, 0.46, 0.62, 0.36], [0.62, 0.36, 0.72, 0.46]],
  },
  probe: { segments: [[0.55, 0.55, 0.67, 0.67]], rings: [[0.45, 0.45, 0.13]] },
  echo: { segments: [[0.34, 0.36, 0.66, 0.36], [0.34, 0.5, 0.58, 0.5], [0.34, 0.64, 0.66, 0.64]] },
  dot: { segments: [[0.5, 0.5, 0.5, 0.5]] },
};

export const ICONS: IconSpec[] = [
  { file: 'extension-icon.png', size: 128, colour: [31, 78, 154], glyph: 'check' },
  { file: 'task-icons/ArmTemplateSecurityGate.png', size: 32, colour: [30, 132, 73], glyph: 'check' },
  { file: 'task-icons/ApimDeploy.png', size: 32, colour: [0, 128, 128], glyph: 'up' },
  { file: 'task-icons/AppServiceMultiRegionDeploy.png', size: 32, colour: [31, 78, 154], glyph: 'regions' },
  { file: 'task-icons/JenkinsArtifactDownload.png', size: 32, colour: [176, 96, 32], glyph: 'down' },
  { file: 'task-icons/ApiSecurityCheck.png', size: 32, colour: [112, 64, 160], glyph: 'probe' },
  { file: 'task-icons/default.png', size: 32, colour: [90, 100, 115], glyph: 'dot' },
];

function segmentDistance(px: number, py: number, [ax, ay, bx, by]: Segment): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Shield outline in unit coordinates: gently arched top, straight sides, curved point at the bottom. */
function insideShield(u: number, v: number): boolean {
  const x = Math.abs(u - 0.5);
  const top = 0.06 + 0.05 * Math.min(1, (x / 0.4) ** 2);
  if (v < top || v > 0.95) return false;
  const half = v <= 0.55 ? 0.4 : 0.4 * (1 - ((v - 0.55) / 0.4) ** 1.7);
  return x <= half;
}

function insideGlyph(u: number, v: number, glyph: Glyph, stroke: number): boolean {
  const g = GLYPHS[glyph];
  if (g.segments.some((s) => segmentDistance(u, v, s) <= stroke)) return true;
  return (g.rings ?? []).some(([cx, cy, r]) => Math.abs(Math.hypot(u - cx, v - cy) - r) <= stroke);
}

export function renderIcon(spec: IconSpec): Buffer {
  const { size, colour, glyph } = spec;
  const ss = 4; // supersampling per axis, for smooth edges without a rasteriser
  const stroke = size >= 64 ? 0.045 : 0.06;
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      let white = 0;
      let shade = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const u = (x + (sx + 0.5) / ss) / size;
          const v = (y + (sy + 0.5) / ss) / size;
          if (!insideShield(u, v)) continue;
          cover++;
          shade += 1.15 - 0.35 * v; // lighter at the top
          if (insideGlyph(u, v, glyph, stroke)) white++;
        }
      }
      const o = (y * size + x) * 4;
      if (cover === 0) continue;
      const w = white / cover;
      const s = shade / cover;
      for (let c = 0; c < 3; c++) {
        const base = Math.min(255, colour[c] * s);
        pixels[o + c] = Math.round(base * (1 - w) + 255 * w);
      }
      pixels[o + 3] = Math.round((255 * cover) / (ss * ss));
    }
  }
  return encodePng(size, size, pixels);
}

export function generateIcons(outDir: string, specs: IconSpec[] = ICONS): string[] {
  return specs.map((spec) => {
    const file = path.join(outDir, spec.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, renderIcon(spec));
    return file;
  });
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] ?? path.join(toolRoot(), 'images'));
  for (const f of generateIcons(outDir)) console.log(`wrote ${f}`);
}
