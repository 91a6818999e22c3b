import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests and benches run from a checkout). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The folder of models and data sets that could be had for these machines. Set
 * LANTERN_SHARED_DIR to point elsewhere; the default is `shared/` beside the checkout,
 * which is where CI places it.
 */
export function sharedDir(): string {
  return process.env.LANTERN_SHARED_DIR ? resolve(process.env.LANTERN_SHARED_DIR) : resolve(repoRoot, '..', 'shared');
}

export function sharedModelsDir(): string {
  return join(sharedDir(), 'models');
}

export function sharedDatasetsDir(): string {
  return join(sharedDir(), 'datasets');
}

export function hasShared(): boolean {
  return existsSync(sharedModelsDir());
}
