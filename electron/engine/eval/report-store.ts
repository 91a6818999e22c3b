import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile, atomicWriteJson } from '../core/atomic-write.js';
import { LanternError } from '../core/errors.js';
import type { EvalReport, EvalRunListItem } from '../../shared/contract.js';
import { reportMarkdown } from './markdown-report.js';

const REPORT_JSON = 'report.json';
const REPORT_MD = 'report.md';

/** Finished evaluation runs, one folder each under <dataDir>/evals, as report.json + report.md. */
export class ReportStore {
  constructor(readonly dir: string) {}

  /** Writes both files atomically (and again to `outDir` when given); returns where they went. */
  async save(report: EvalReport, outDir?: string): Promise<EvalReport> {
    const targets = [join(this.dir, report.id), ...(outDir ? [outDir] : [])];
    let files: EvalReport['files'];
    for (const dir of targets) {
      await mkdir(dir, { recursive: true });
      files = { json: join(dir, REPORT_JSON), markdown: join(dir, REPORT_MD) };
    }
    const saved = { ...report, files };
    for (const dir of targets) {
      await atomicWriteJson(join(dir, REPORT_JSON), saved);
      await atomicWriteFile(join(dir, REPORT_MD), reportMarkdown(saved));
    }
    return saved;
  }

  async get(id: string): Promise<EvalReport> {
    if (!/^[\w-]+$/.test(id)) throw new LanternError('invalid-input', `"${id}" is not an evaluation run id.`);
    try {
      return JSON.parse(await readFile(join(this.dir, id, REPORT_JSON), 'utf8')) as EvalReport;
    } catch {
      throw new LanternError('not-found', `No evaluation run "${id}". It may have been deleted; run the question set again.`);
    }
  }

  /** Newest first. A folder whose report cannot be read is skipped (a run killed before it saved). */
  async list(): Promise<EvalRunListItem[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const items: EvalRunListItem[] = [];
    for (const name of names) {
      const r = await this.get(name).catch(() => null);
      if (!r) continue;
      items.push({
        id: r.id,
        createdAt: r.createdAt,
        label: r.label,
        set: r.set.name,
        model: r.model,
        adapter: r.adapter,
        modes: r.modes,
        status: r.status,
        summaries: r.summaries,
        ...(r.packCheck ? { packCheck: r.packCheck } : {}),
      });
    }
    return items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}
