/**
 * Renders the app icon PNGs (resources/icons/<size>x<size>.png and icon.png = 512) from icon.svg.
 * The SVG is rasterised at each size's own density rather than downscaled from one big bitmap,
 * so the small sizes stay crisp.
 *
 * Run: node_modules/.bin/node --import tsx scripts/make-icons.ts
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { repoRoot } from '../electron/engine/testing/shared-paths.js';

export const ICON_SIZES = [16, 32, 64, 128, 256, 512, 1024] as const;
const iconsDir = join(repoRoot, 'resources', 'icons');

const svg = await readFile(join(iconsDir, 'icon.svg'));
for (const size of ICON_SIZES) {
  // The SVG is 512 units wide; density 72 renders it at 512 px, so scale density to the target.
  await sharp(svg, { density: (72 * size) / 512 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(join(iconsDir, `${size}x${size}.png`));
}
await copyFile(join(iconsDir, '512x512.png'), join(iconsDir, 'icon.png'));
console.log(`Wrote ${ICON_SIZES.length + 1} icons to ${iconsDir}`);
