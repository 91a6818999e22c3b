import { useEffect, useState, type CSSProperties } from 'react';
import { getApi } from '../api/client';
import { useApp } from '../state/app';
import { useLibrary } from '../state/library';
import { useModels } from '../state/models';
import {
  EVAL_MODES,
  type EvalComparison,
  type EvalMode,
  type EvalModeSummary,
  type EvalOverview,
  type EvalProgress,
  type EvalReport,
} from '../../../electron/shared/contract';

const MODE_LABELS: Record<EvalMode, string> = {
  retrieval: 'Search only',
  base: 'Model alone',
  lora: 'Model + adapter',
  rag: 'Model + documents (RAG)',
  'rag+lora': 'RAG + adapter',
};

const pct = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${Math.round(v * 100)} %`);
const num = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? 'n/a' : `${Math.round(v)}${unit}`);
const tableStyle: CSSProperties = { borderCollapse: 'collapse', width: '100%', fontSize: 13 };
const cellStyle: CSSProperties = { borderBottom: '1px solid var(--border)', padding: '4px 6px', textAlign: 'left', verticalAlign: 'top' };

/**
 * Evaluate: run a question set against a collection in several modes side by side (search only,
 * the model alone, with an adapter, with documents, both), read each report down to the
 * question, compare two runs, and check that an installed pack still answers as published.
 */
export function EvaluateView() {
  const { notify } = useApp();
  const collections = useLibrary((s) => s.collections);
  const { models, status } = useModels();
  const api = getApi();
  const [overview, setOverview] = useState<EvalOverview | null>(null);
  const [questions, setQuestions] = useState('');
  const [collection, setCollection] = useState('');
  const [modes, setModes] = useState<EvalMode[]>(['retrieval']);
  const [adapter, setAdapter] = useState('');
  const [scale, setScale] = useState(1);
  const [label, setLabel] = useState('');
  const [progress, setProgress] = useState<EvalProgress | null>(null);
  const [report, setReport] = useState<EvalReport | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [comparison, setComparison] = useState<EvalComparison | null>(null);
  const adapters = models.filter((m) => m.kind === 'adapter');
  const running = progress?.phase === 'running';
  const fail = (err: unknown) => notify('error', (err as Error).message);

  const refresh = async () => {
    const o = await api.call('eval.list', {});
    setOverview(o);
    setQuestions((q) => q || o.sampleSet || '');
  };

  useEffect(() => {
    void refresh().catch(fail);
    return api.on('eval.progress', (p) => {
      setProgress(p);
      if (p.phase !== 'running') {
        void api.call('eval.get', { runId: p.runId }).then(setReport, fail);
        void refresh().catch(fail);
      }
    });
  }, []);

  const toggleMode = (m: EvalMode) => setModes((ms) => (ms.includes(m) ? ms.filter((x) => x !== m) : [...ms, m]));
  const start = () =>
    api
      .call('eval.run', {
        questions,
        collections: collection ? [collection] : undefined,
        modes,
        adapter: adapter ? { path: adapter, scale } : undefined,
        label: label || undefined,
      })
      .then(({ runId }) => setProgress({ runId, mode: null, done: 0, total: 0, phase: 'running' }), fail);
  const open = (id: string) => api.call('eval.get', { runId: id }).then(setReport, fail);
  const compare = () => api.call('eval.compare', { a: picked[0], b: picked[1] }).then(setComparison, fail);
  const needsModel = modes.some((m) => m !== 'retrieval');
  const needsAdapter = modes.includes('lora') || modes.includes('rag+lora');

  return (
    <div className="library evaluate">
      <h1>Evaluate</h1>
      <p className="muted">
        Run your own questions against your documents and see which setup answers them best: search alone, the model alone, the model with an adapter, the model
        with your documents (RAG), or both.
      </p>

      <section className="card form-card" aria-label="New evaluation">
        <h3>New evaluation</h3>
        <label>
          Question set (.jsonl or .csv)
          <input value={questions} onChange={(e) => setQuestions(e.target.value)} placeholder="/path/to/questions.jsonl" />
        </label>
        <label>
          Collection
          <select value={collection} onChange={(e) => setCollection(e.target.value)}>
            <option value="">All collections</option>
            {collections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend>Modes</legend>
          <div className="row gap" style={{ flexWrap: 'wrap' }}>
            {EVAL_MODES.map((m) => (
              <label key={m} className="row gap" style={{ display: 'flex' }}>
                <input type="checkbox" checked={modes.includes(m)} onChange={() => toggleMode(m)} /> {MODE_LABELS[m]}
              </label>
            ))}
          </div>
        </fieldset>
        {needsAdapter && (
          <div className="row gap">
            <label className="grow">
              Adapter
              <select value={adapter} onChange={(e) => setAdapter(e.target.value)}>
                <option value="">Choose an adapter…</option>
                {adapters.map((a) => (
                  <option key={a.id} value={a.path}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Scale
              <input type="number" min={0} max={4} step={0.1} value={scale} onChange={(e) => setScale(Number(e.target.value))} style={{ width: 80 }} />
            </label>
          </div>
        )}
        <label>
          Label (optional)
          <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. adapter at 0.5" />
        </label>
        {needsModel && !status?.llm && <p className="note">Load an answer model in Models for the modes that write answers.</p>}
        <div className="row gap">
          <button className="primary" disabled={running || !questions || !modes.length || (needsAdapter && !adapter)} onClick={start}>
            Run
          </button>
          {running && progress && <button onClick={() => void api.call('eval.cancel', { runId: progress.runId }).catch(fail)}>Cancel</button>}
        </div>
        {running && progress && (
          <div className="progress-block">
            <div
              className="progress"
              role="progressbar"
              aria-label="Evaluation progress"
              aria-valuenow={progress.done}
              aria-valuemin={0}
              aria-valuemax={progress.total}
            >
              <div className="bar" style={{ width: `${progress.total ? (progress.done / progress.total) * 100 : 0}%` }} />
            </div>
            <span className="muted small">
              {progress.mode ? MODE_LABELS[progress.mode] : 'Starting'}: {progress.done} of {progress.total} questions
            </span>
          </div>
        )}
      </section>

      {!!overview?.packs.length && (
        <section className="card" aria-label="Packs with a question set">
          <h3>Knowledge packs</h3>
          <ul className="model-list">
            {overview.packs.map((p) => {
              const last = overview.runs.find((r) => r.packCheck?.packId === p.id);
              return (
                <li key={p.id} className="row">
                  <span>
                    <strong>{p.name}</strong>{' '}
                    <span className="muted small">
                      {p.version} · {p.questions} questions · published: {p.modes.join(', ')}
                    </span>
                    {last?.packCheck && (
                      <span className={`small ${last.packCheck.asPublished ? '' : 'error-text'}`}>
                        {' '}
                        ·{' '}
                        {last.packCheck.asPublished
                          ? 'answers as published'
                          : `differs from published: ${last.packCheck.worse} worse, ${last.packCheck.better} better`}
                      </span>
                    )}
                  </span>
                  <button
                    disabled={running}
                    onClick={() =>
                      void api
                        .call('eval.checkPack', { packId: p.id })
                        .then(({ runId }) => setProgress({ runId, mode: null, done: 0, total: 0, phase: 'running' }), fail)
                    }
                  >
                    Check this pack
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {report && <ReportCard report={report} />}

      <section className="card" aria-label="Past runs">
        <div className="row">
          <h3>Runs</h3>
          <button disabled={picked.length !== 2} onClick={compare}>
            Compare the two selected
          </button>
        </div>
        {!overview?.runs.length && <p className="muted">No runs yet.</p>}
        <ul className="model-list">
          {overview?.runs.map((r) => (
            <li key={r.id} className="row">
              <label className="row gap grow" style={{ display: 'flex' }}>
                <input
                  type="checkbox"
                  aria-label={`Select ${r.label ?? r.set} for comparison`}
                  checked={picked.includes(r.id)}
                  onChange={() => setPicked((p) => (p.includes(r.id) ? p.filter((x) => x !== r.id) : [...p.slice(-1), r.id]))}
                />
                <span>
                  <strong>{r.label ?? r.set}</strong>{' '}
                  <span className="muted small">
                    {new Date(r.createdAt).toLocaleString()} · {r.model ?? 'no model'}
                    {r.adapter ? ` + ${r.adapter.file} × ${r.adapter.scale}` : ''} · {r.summaries.map((s) => `${s.mode} ${s.passed}/${s.questions}`).join(', ')}
                    {r.status !== 'done' ? ` · ${r.status}` : ''}
                  </span>
                </span>
              </label>
              <button className="link" onClick={() => void open(r.id)}>
                Open
              </button>
            </li>
          ))}
        </ul>
      </section>

      {comparison && <ComparisonCard c={comparison} />}
    </div>
  );
}

function ModeTable({ summaries }: { summaries: EvalModeSummary[] }) {
  const retrieval = summaries.find((s) => s.retrieval)?.retrieval;
  return (
    <>
      <table style={tableStyle}>
        <thead>
          <tr>
            {['Mode', 'Passed', 'Answer match', 'Refusal correct', 'Citation precision', 'Citation support', 'First token', 'Tokens/s', 'Prompt tokens'].map(
              (h) => (
                <th key={h} style={cellStyle}>
                  {h}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {summaries.map((s) => (
            <tr key={s.mode}>
              <td style={cellStyle}>
                {MODE_LABELS[s.mode]}
                {s.status !== 'done' ? ` (${s.status})` : ''}
              </td>
              <td style={cellStyle}>
                {s.passed}/{s.questions}
              </td>
              <td style={cellStyle}>{pct(s.answerMatch)}</td>
              <td style={cellStyle}>{pct(s.refusalCorrect)}</td>
              <td style={cellStyle}>{pct(s.citationPrecision)}</td>
              <td style={cellStyle}>{pct(s.citationSupport)}</td>
              <td style={cellStyle}>{num(s.ttftMs, ' ms')}</td>
              <td style={cellStyle}>{num(s.tokensPerSecond)}</td>
              <td style={cellStyle}>{num(s.promptTokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {retrieval && (
        <p className="small muted" style={{ marginTop: 8 }}>
          Search: hit@1 {pct(retrieval.hit1)}, hit@3 {pct(retrieval.hit3)}, hit@10 {pct(retrieval.hit10)}, MRR {retrieval.mrr?.toFixed(3) ?? 'n/a'}, right place
          at rank 1 {pct(retrieval.locationAt1)}, answer phrase in the top {retrieval.k} {pct(retrieval.phraseInTopK)} ·{' '}
          {Math.round(retrieval.questionsPerSecond)} questions/s
        </p>
      )}
    </>
  );
}

function ReportCard({ report }: { report: EvalReport }) {
  const [mode, setMode] = useState<EvalMode>(report.summaries[0]?.mode ?? 'retrieval');
  useEffect(() => setMode(report.summaries[0]?.mode ?? 'retrieval'), [report.id]);
  const rows = report.results.filter((r) => r.mode === mode);
  return (
    <section className="card" aria-label="Report">
      <h3>{report.label ?? report.set.name}</h3>
      <p className="muted small">
        {report.set.questions} questions · {report.collections.map((c) => c.name).join(', ') || 'all collections'} · {report.model ?? 'no model'}
        {report.adapter ? ` + ${report.adapter.file} × ${report.adapter.scale}` : ''} · greedy, seed {report.decoding.seed} ·{' '}
        {(report.durationMs / 1000).toFixed(1)} s · {report.status}
        {report.files ? ` · saved to ${report.files.markdown}` : ''}
      </p>
      {report.packCheck && (
        <p className={report.packCheck.asPublished ? 'note' : 'note error-text'}>
          {report.packCheck.asPublished
            ? `${report.packCheck.pack} ${report.packCheck.version} answers as published on this computer.`
            : `${report.packCheck.pack} ${report.packCheck.version} answers differently from what its publisher measured: ${report.packCheck.worse} worse, ${report.packCheck.better} better.`}
        </p>
      )}
      {report.error && <p className="error-text">{report.error}</p>}
      <ModeTable summaries={report.summaries} />
      <div className="row gap" role="tablist" style={{ marginTop: 12, flexWrap: 'wrap' }}>
        {report.summaries.map((s) => (
          <button key={s.mode} role="tab" aria-selected={s.mode === mode} className={s.mode === mode ? 'primary' : ''} onClick={() => setMode(s.mode)}>
            {MODE_LABELS[s.mode]}
          </button>
        ))}
      </div>
      <ul className="model-list" aria-label="Questions">
        {rows.map((r) => (
          <li key={`${r.mode}-${r.id}`}>
            <details>
              <summary>
                <span className={r.pass ? 'badge on' : 'badge'}>{r.pass ? 'pass' : 'fail'}</span> {r.question}
                {!r.pass && <span className="small error-text"> — {r.reasons.join('; ')}</span>}
              </summary>
              {r.answer !== undefined && <p style={{ whiteSpace: 'pre-wrap', marginTop: 6 }}>{r.answer || <em className="muted">(empty)</em>}</p>}
              {r.rank !== undefined && <p className="small">Expected file at rank {r.rank ?? 'beyond 10'}</p>}
              {!!r.citations?.length && (
                <ol className="small" style={{ margin: '4px 0', paddingLeft: 18 }}>
                  {r.citations.map((c) => (
                    <li key={c.n}>
                      {c.place} {c.expected ? '✓ expected source' : ''} {c.support ? `· ${c.support}` : ''}
                    </li>
                  ))}
                </ol>
              )}
              <p className="muted small">
                {r.ttftMs != null ? `first token ${Math.round(r.ttftMs)} ms · ` : ''}
                {r.promptTokens != null ? `${r.promptTokens} prompt tokens` : ''}
              </p>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ComparisonCard({ c }: { c: EvalComparison }) {
  const fmt = (name: string, v: number | null) => (/ms|tokens/.test(name) ? num(v) : pct(v));
  return (
    <section className="card" aria-label="Comparison">
      <h3>
        {c.a.label ?? c.a.id} → {c.b.label ?? c.b.id}
      </h3>
      {c.modes.map((m) => (
        <table key={m.mode} style={{ ...tableStyle, marginBottom: 10 }}>
          <thead>
            <tr>
              <th style={cellStyle}>{MODE_LABELS[m.mode]}</th>
              <th style={cellStyle}>Before</th>
              <th style={cellStyle}>After</th>
            </tr>
          </thead>
          <tbody>
            {m.metrics.map((x) => {
              const better = x.a !== null && x.b !== null && x.a !== x.b && x.b > x.a === x.higherIsBetter;
              const worse = x.a !== null && x.b !== null && x.a !== x.b && !better;
              return (
                <tr key={x.name}>
                  <td style={cellStyle}>{x.name}</td>
                  <td style={cellStyle}>{fmt(x.name, x.a)}</td>
                  <td style={{ ...cellStyle, color: better ? 'var(--ok)' : worse ? 'var(--danger)' : undefined }}>{fmt(x.name, x.b)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
      <h4>Better ({c.better.length})</h4>
      <ul className="small">
        {c.better.map((x) => (
          <li key={`${x.mode}-${x.id}`}>
            [{MODE_LABELS[x.mode]}] {x.question}
          </li>
        ))}
      </ul>
      <h4>Worse ({c.worse.length})</h4>
      <ul className="small">
        {c.worse.map((x) => (
          <li key={`${x.mode}-${x.id}`}>
            [{MODE_LABELS[x.mode]}] {x.question} — {x.after.reasons.join('; ')}
          </li>
        ))}
      </ul>
      <p className="muted small">{c.unchanged} unchanged.</p>
    </section>
  );
}
