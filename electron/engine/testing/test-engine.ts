import { join } from 'node:path';
import { createEngine, type Engine } from '../api/engine.js';
import type { EngineOptions } from '../api/engine-options.js';
import { repoRoot } from './shared-paths.js';

/**
 * For tests and benches: an engine as the CLI makes it (no folder watching, paths not confined),
 * with the repository's resources (sample library, defaults). Give at least the data folder.
 */
export function testEngine(opts: Omit<EngineOptions, 'resourcesDir' | 'transport'> & Partial<Pick<EngineOptions, 'resourcesDir'>>): Promise<Engine> {
  return createEngine({ resourcesDir: join(repoRoot, 'resources'), transport: 'cli', watch: false, ...opts });
}
