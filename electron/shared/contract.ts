/**
 * The one contract between Lantern's engine and everything that talks to it: the Electron main
 * process (IPC), the local web host (HTTP + WebSocket), the CLI and the renderer all import this
 * file. Every call has a zod schema for its input (validated at each boundary) and a TypeScript
 * type for its output; every event has a payload type.
 *
 * This file must stay free of Node and Electron imports: the renderer bundles it.
 */
import { z } from 'zod';
import { EVAL_MODES, EvalRunInputSchema, type EvalComparison, type EvalOverview, type EvalProgress, type EvalReport } from './eval-contract.js';

export * from './eval-contract.js';

// ---------------------------------------------------------------------------------------------
// Domain types
// ---------------------------------------------------------------------------------------------

/** Where a passage sits inside its document: page, slide, sheet and row, lines, headings. */
export interface PassagePlace {
  page?: number;
  pageEnd?: number;
  slide?: number;
  sheet?: string;
  row?: number;
  rowEnd?: number;
  lineStart?: number;
  lineEnd?: number;
  headingPath?: string[];
  section?: string;
}

/** What a document says about itself (properties, cover page, path): shown on source cards. */
export interface DocumentMeta {
  title?: string;
  version?: string;
  /** Issued / effective date, ISO (YYYY or YYYY-MM-DD). */
  date?: string;
  status?: 'current' | 'superseded' | 'draft';
}

/** Where a passage sits in its source file; enough to open the file at that place and highlight it. */
export interface SourceLocation extends PassagePlace {
  collection: string;
  /** Stable id of the file within its collection. */
  fileId: string;
  /** Absolute path on this machine (for a pack: inside the installed pack). */
  path: string;
  /** Path relative to the folder it was indexed from, for display. */
  relPath: string;
  format: string;
  /** Offsets into the document's extracted text (see source.open). */
  charStart: number;
  charEnd: number;
  /** The document's own title, version, date and status, when known. */
  doc?: DocumentMeta;
}

export interface TextSpan {
  start: number;
  end: number;
}

export interface SearchHit {
  chunkId: number;
  collection: string;
  text: string;
  score: number;
  location: SourceLocation;
  /** Spans within `text` that best match the query (sentences), for highlighting. */
  highlights: TextSpan[];
  /** Which retrievers found it: lexical rank and vector rank (1-based), when present. */
  ranks?: { lexical?: number; vector?: number; rerank?: number };
  /** Trust (issue 9): other places the same passage lives (same text or same file version), shown once. */
  alsoIn?: SourceLocation[];
  /** The cross-encoder's raw score, when a reranker ran (issue 9: evidence for answerability). */
  rerankScore?: number;
}

export interface SearchResult {
  hits: SearchHit[];
  mode: 'hybrid' | 'lexical' | 'vector';
  /** Expanded query actually used (after glossary expansion). */
  query: string;
  tookMs: number;
  notes: string[];
}

export interface FolderSpec {
  path: string;
  include: string[];
  exclude: string[];
  /** Follow links that lead outside the folder (off: they are listed as skipped). */
  followExternalLinks?: boolean;
}

export interface FileError {
  path: string;
  relPath: string;
  code: string;
  message: string;
  at: string;
  /** 'skipped': left out on purpose (empty, link loop, outside the folder); otherwise it could not be read. */
  kind?: 'error' | 'skipped';
}

export type IndexPhase = 'idle' | 'scanning' | 'indexing' | 'embedding' | 'committing' | 'paused' | 'done' | 'cancelled' | 'error';

export interface IndexProgress {
  collection: string;
  phase: IndexPhase;
  filesDone: number;
  filesTotal: number;
  chunks: number;
  chunksEmbedded: number;
  bytesDone: number;
  etaSeconds: number | null;
  currentFile?: string;
  /** Progress inside the file being read, for large files (bytes or rows). */
  currentFileProgress?: { done: number; total: number; unit: 'bytes' | 'rows' | 'pages' | 'slides' };
  message?: string;
}

export interface PackInfo {
  id: string;
  name: string;
  version: string;
  description?: string;
  publisher: string;
  created: string;
  signed: boolean;
  signer?: string;
  /** Whether this machine trusts the signer: never "unsigned" for a pack that carries a signature. */
  trust?: 'trusted' | 'untrusted' | 'unsigned';
  /** SHA-256 fingerprint of the signer's public key (hex). */
  signerFingerprint?: string;
  documents: number;
  chunks: number;
  includesDocuments: boolean;
  embeddingModel: string | null;
  llm?: { name: string; sha256: string } | null;
  adapter?: { file: string; scale: number } | null;
  /** The organisation whose policy the pack carries. */
  policy?: { organisation: string; issued: string } | null;
}

// Pack preview before trust (issue 12.4, 14): what a pack file holds and what importing it would do.
/** The organisation policy a pack brings, and what it locks. */
export interface PackPolicyPreview {
  organisation: string;
  issued: string;
  /** Verified against a root key installed on this machine (otherwise the import is refused). */
  verified: boolean;
  reason?: string;
  lockedSettings: Partial<Record<keyof Settings, unknown>>;
  requireSignedPacks: boolean;
  trustedSigners: string[];
  allowedModels: string[];
}

export interface PackPreview {
  pack: PackInfo;
  file: { path: string; bytes: number; files: number };
  /** Documents the pack's index holds (relative paths), at most 2,000; `documents` in `pack` has the count. */
  documentList: string[];
  installed: { version: string; trust?: PackInfo['trust']; signerFingerprint?: string } | null;
  versionChange: 'new' | 'upgrade' | 'same' | 'downgrade';
  policy: PackPolicyPreview | null;
  /** What the user must confirm before importing (the import is refused without it). */
  consent: ('unsigned' | 'untrusted' | 'signer-change' | 'downgrade')[];
  /** Why the import would be refused whatever the user says (policy, a path outside the pack…). */
  refused: string | null;
}

export interface PackDocument {
  relPath: string;
  format: string;
  size: number;
}

export interface CollectionInfo {
  id: string;
  name: string;
  folders: FolderSpec[];
  readOnly: boolean;
  pack: PackInfo | null;
  files: number;
  chunks: number;
  bytes: number;
  lastIndexedAt: string | null;
  errors: number;
  embedding: { model: string; dim: number } | null;
  /** True when the collection has no vectors (no embedding model): search is lexical only. */
  lexicalOnly: boolean;
  /** Set when the collection's vectors were made with another model than the active one. */
  needsReembed: { indexModel: string; activeModel: string } | null;
  progress: IndexProgress | null;
  /** 'needs-repair': a store file is missing or damaged; other collections are unaffected. */
  health?: { status: 'ok' | 'needs-repair'; reason?: string };
}

export interface Citation {
  /** The number used in the answer text: [n]. */
  n: number;
  chunkId: number;
  collection: string;
  text: string;
  location: SourceLocation;
  /** Spans within `text` that best support the answer. */
  highlights: TextSpan[];
  score: number;
  /** How well the sentences citing [n] are supported by this passage (after generation). */
  support?: { status: 'supported' | 'weak' | 'unsupported'; score: number };
  /** Trust (issue 9): other places the same passage lives. */
  alsoIn?: SourceLocation[];
}

/** Trust (issue 9): one answer sentence checked against the passages it cites ('uncited': it cites none). */
export interface SentenceCheck {
  start: number;
  end: number;
  n: number[];
  status: 'supported' | 'weak' | 'unsupported' | 'uncited';
  score: number;
}

/** Which documents a question searched. */
export interface SearchScope {
  collections?: string[];
  folder?: string;
  fileTypes?: string[];
}

/** Which answer engine wrote an answer. */
export interface AnswerEngineRef {
  kind: 'local' | 'remote';
  /** Model file name (local) or the server's model name (remote). */
  model: string;
  /** Server base URL (remote). */
  url?: string;
}

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: string;
  citations?: Citation[];
  /** The answer is a list of passages, not generated text (no model loaded). */
  searchOnly?: boolean;
  /** The documents did not cover the question. */
  noAnswer?: boolean;
  cancelled?: boolean;
  error?: string;
  model?: string;
  /** The engine (local runtime or an inference server) and adapters that wrote the answer. */
  engine?: AnswerEngineRef;
  adapters?: AdapterSpec[];
  /** What was searched, when it differs from the question (follow-up rewriting, glossary). */
  searchedFor?: string;
  scope?: SearchScope;
  /** Citation checks: sentences citing a passage, how many are supported, sentences with no citation. */
  citationCheck?: { cited: number; supported: number; uncited: number; modelCited: boolean };
  /** Trust (issue 9): each answer sentence's check (offsets into `content`), and the evidence behind "not covered". */
  sentenceChecks?: SentenceCheck[];
  /** `unmatched`: the question's names and subject words no passage holds, said when Lantern declines ("adoptive"). */
  answerability?: { score: number; threshold: number; coverage: number; unmatched?: string[] };
  stats?: { retrievalMs: number; promptMs: number; firstTokenMs: number | null; tokens: number; tokensPerSecond: number | null };
}

export interface ChatSummary {
  id: string;
  collection: string | null;
  title: string;
  createdAt: string;
  updatedAt: string;
  messages: number;
  /** Trust (issue 9): what this chat searches; absent = every collection. */
  scope?: SearchScope;
}

export interface Chat extends ChatSummary {
  history: ChatMessage[];
}

export type ModelKind = 'llm' | 'embedding' | 'adapter' | 'reranker';

export interface ModelInfo {
  id: string;
  kind: ModelKind;
  name: string;
  path: string;
  sizeBytes: number;
  source: 'models-dir' | 'pack' | 'extra';
  /** GGUF metadata, when readable. */
  architecture?: string;
  contextLength?: number;
  parameters?: string;
  /** Memory needed to load with the current context setting. */
  estimate?: { ramBytes: number; vramBytes: number; contextSize: number; fits: boolean; note?: string };
  loaded: boolean;
  allowedByPolicy: boolean;
  sha256?: string;
  /** Trust (issue 9): answer models only. */
  fitness?: ModelFitness;
}

/** Trust (issue 9): whether a model can answer from documents, and why not. */
export interface ModelFitness {
  answers: 'suitable' | 'unsuitable';
  reasons: string[];
}

/** Trust (issue 9): default models by laptop memory, each pinned by size and SHA-256. */
export interface ModelCatalogueView {
  machineRamBytes: number;
  recommendedTier: string;
  tiers: {
    id: string;
    ramGB: number;
    label: string;
    models: { id: string; kind: 'llm' | 'embedding' | 'reranker'; name: string; sizeBytes: number; licence: string }[];
    note?: string;
  }[];
}

export interface AdapterSpec {
  path: string;
  scale: number;
}

export interface ModelStatus {
  llm: { id: string; name: string; path: string; contextSize: number; adapters: AdapterSpec[]; gpu: string | false } | null;
  loading: { path: string; progress: number } | null;
  embedding: { model: string; dim: number } | null;
  reranker: string | null;
  /** Why the reranker was skipped the last time (damaged files, wrong model): search goes on without it. */
  rerankerError?: string | null;
}

export interface DownloadProgress {
  id: string;
  file: string;
  bytesDone: number;
  bytesTotal: number;
  state: 'downloading' | 'verifying' | 'done' | 'error' | 'cancelled';
  message?: string;
}

export const THEMES = ['light', 'dark', 'system'] as const;

export const SettingsSchema = z.object({
  modelsDir: z.string().min(1),
  chunkTokens: z.number().int().min(32).max(2048),
  chunkOverlap: z.number().int().min(0).max(512),
  topK: z.number().int().min(1).max(20),
  theme: z.enum(THEMES),
  glossary: z.record(z.string().min(1).max(40), z.string().min(1).max(200)),
  maxFileMB: z.number().min(1).max(2048),
  embeddingModel: z.string().nullable(),
  /** Rerank search results with a cross-encoder when one is in the models folder. */
  rerank: z.boolean(),
  /** Which reranker (folder name); null: the first one found. */
  rerankerModel: z.string().nullable(),
  llmModel: z.string().nullable(),
  contextSize: z.number().int().min(256).max(131072),
  threads: z.number().int().min(0).max(256),
  temperature: z.number().min(0).max(2),
  citationsRequired: z.boolean(),
  allowPersonalFolders: z.boolean(),
  allowDownloads: z.boolean(),
  allowRemoteEngines: z.boolean(),
  downloadBaseUrl: z.string().url(),
  minRelevance: z.number().min(0).max(1),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export interface SettingsView {
  values: Settings;
  /** Keys an admin policy has locked: the engine refuses changes to them. */
  locked: SettingKey[];
}

export interface PolicyView {
  managed: boolean;
  organisation: string | null;
  source: string | null;
  lockedSettings: SettingKey[];
  allowedModels: { name: string; sha256: string }[];
  defaultModel: string | null;
  requiredAdapter: AdapterSpec | null;
  trustedSigners: string[];
  requireSignedPacks: boolean;
  /** Answer servers an admin allows (empty: any) and whether http:// is refused off this machine. */
  remoteEngines?: { allowedUrls: string[]; requireTls: boolean };
}

// Answer engines (issue 15): the local GGUF runtime or an OpenAI-compatible inference server.
export interface RemoteServerModel {
  id: string;
  contextLength?: number;
  /** Set for a LoRA adapter a server (vLLM) serves as its own model: the base model's id. */
  parent?: string;
}
export interface EngineView {
  kind: 'local' | 'remote';
  remote: {
    url: string;
    model: string;
    hasKey: boolean;
    server: string | null;
    contextSize: number | null;
    adapters: AdapterSpec[];
    error: string | null;
  } | null;
  /** Whether answers may go to a server at all (allowRemoteEngines), and whether an admin decided. */
  allowed: boolean;
  managedBy: string | null;
  allowedUrls: string[];
  requireTls: boolean;
  /** Servers whose first-use notice (what leaves the laptop) the user has seen. */
  noticeAccepted: string[];
  /** Where API keys are kept on this machine. */
  keyStorage: string;
}

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  modelsDir: string;
  transport: 'electron' | 'web' | 'cli';
  platform: string;
  network: boolean;
  policy: PolicyView;
  sampleLibraryPath: string | null;
  /** Whether "Open file" / "Show in folder" can work here, and why not (issue 12). Absent: supported. */
  openFiles?: { supported: boolean; reason?: string };
}

export interface SourceDocument {
  location: SourceLocation;
  /** Extracted text of the whole document (for text-like viewers and highlighting). */
  text: string | null;
  /** Present for PDFs: the file bytes, base64, for pdf.js. */
  pdfBase64?: string;
  /** True when the original file is not available (e.g. a pack shipped without documents). */
  missing: boolean;
  /** Slides (PPTX), grids (XLSX, CSV) or numbered lines (text, Markdown, code) for the format's own viewer (issue 12). */
  layout?: SourceLayout;
}

// Issue 12 (viewers per format, folder browser in the browser host): additive types.
export interface SlideView {
  n: number;
  title: string;
  body: string[];
  /** Each table as rows of cell texts. */
  tables: string[][][];
  notes: string;
}
export interface SheetView {
  name: string;
  header: string[] | null;
  /** Non-empty rows with their 1-based row number in the sheet (CSV: the record's last line). */
  rows: { row: number; cells: string[] }[];
  /** Rows left out of a very large sheet (only a window around the cited row is sent). */
  omitted: number;
}
/** Text-like files (code, text, Markdown) as their own lines, numbered from `first` (a window of a very long file). */
export interface LinesView {
  first: number;
  lines: string[];
  total: number;
}
export type SourceLayout = { kind: 'slides'; slides: SlideView[] } | { kind: 'sheets'; sheets: SheetView[] } | ({ kind: 'lines' } & LinesView);
export interface FolderListing {
  /** The folder listed (absolute), or null when the typed path has no existing parent. */
  folder: string | null;
  parent: string | null;
  /** Sub-folders of `folder`; when the typed path ends in a partial name, only those it starts. */
  entries: { name: string; path: string }[];
  /** Home, the file system root and mounted drives. */
  places: { label: string; path: string }[];
  truncated: boolean;
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

const id = z.string().min(1).max(200);
const path = z.string().min(1).max(4096);
const globs = z.array(z.string().min(1).max(500)).max(100);

export const AskInputSchema = z.object({
  question: z.string().trim().min(1).max(4000),
  chatId: id.optional(),
  collections: z.array(id).max(50).optional(),
  /** Force search-only answers even when a model is loaded. */
  searchOnly: z.boolean().optional(),
  /** Regenerate the last answer in the chat instead of adding a question. */
  regenerate: z.boolean().optional(),
  /** Trust (issue 9): what to search (collections, folder, file types), remembered by the chat; `asTyped` skips follow-up rewriting; `answerAnyway` skips the "not covered" decision. */
  scope: z
    .object({
      collections: z.array(id).max(50).optional(),
      folder: z.string().max(4096).optional(),
      fileTypes: z.array(z.string().min(1).max(20)).max(50).optional(),
    })
    .optional(),
  asTyped: z.boolean().optional(),
  answerAnyway: z.boolean().optional(),
});

export const SearchInputSchema = z.object({
  query: z.string().trim().min(1).max(4000),
  collections: z.array(id).max(50).optional(),
  folder: z.string().max(4096).optional(),
  fileTypes: z.array(z.string().min(1).max(20)).max(50).optional(),
  k: z.number().int().min(1).max(200).optional(),
});

/** `call<Output>()(inputSchema)`: the output is a type only; inputs are validated at runtime. */
function call<O>() {
  return <I extends z.ZodTypeAny>(input: I) => ({ input, output: undefined as unknown as O });
}

const none = z.object({});
const collectionRef = z.object({ collection: id });
const chatRef = z.object({ chatId: id });

export const calls = {
  'app.info': call<AppInfo>()(none),
  /** Native file/folder picker. Only the Electron shell implements it; elsewhere `supported` is false and the UI asks for a typed path. */
  'app.pickPath': call<{ path: string | null; supported: boolean }>()(z.object({ kind: z.enum(['folder', 'pack', 'model', 'adapter']) })),

  'library.list': call<CollectionInfo[]>()(none),
  'library.create': call<CollectionInfo>()(z.object({ name: z.string().trim().min(1).max(100) })),
  'library.delete': call<{ ok: true }>()(collectionRef),
  'library.addFolder': call<CollectionInfo>()(
    z.object({ collection: id.optional(), path, include: globs.optional(), exclude: globs.optional(), followExternalLinks: z.boolean().optional() }),
  ),
  'library.removeFolder': call<CollectionInfo>()(z.object({ collection: id, path })),
  'library.reindex': call<{ started: boolean }>()(z.object({ collection: id, full: z.boolean().optional() })),
  'library.cancel': call<{ ok: true }>()(collectionRef),
  'library.pause': call<{ ok: true }>()(z.object({ collection: id, paused: z.boolean() })),
  'library.errors': call<FileError[]>()(collectionRef),
  /** Rebuilds a damaged collection's index from what is intact, else re-indexes it from its folders. */
  'library.repair': call<{ rebuilt: string[]; reindex: boolean; reembed: boolean; message: string }>()(collectionRef),
  'library.openSample': call<CollectionInfo>()(none),

  search: call<SearchResult>()(SearchInputSchema),
  'source.open': call<SourceDocument>()(z.object({ collection: id, chunkId: z.number().int().min(0) })),
  /**
   * Opens a cited file (or its folder) with the system's default app. The engine resolves the file from
   * the collection and chunk/file id; a path from the renderer is never opened. `reason` says why not.
   */
  'source.reveal': call<{ ok: boolean; path?: string; reason?: string }>()(
    z.object({ collection: id, chunkId: z.number().int().min(0).optional(), fileId: id.optional(), showInFolder: z.boolean().optional() }),
  ),
  /** Folder browser (issue 12): sub-folders of a path, or those a typed partial name starts; plus home and drives. */
  'fs.browse': call<FolderListing>()(z.object({ path: z.string().max(4096).optional(), showHidden: z.boolean().optional() })),

  'chat.ask': call<{ chatId: string; messageId: string }>()(AskInputSchema),
  'chat.cancel': call<{ ok: boolean }>()(z.object({ messageId: id })),
  'chat.list': call<ChatSummary[]>()(none),
  'chat.get': call<Chat>()(chatRef),
  'chat.new': call<Chat>()(z.object({ collection: id.optional() })),
  'chat.rename': call<ChatSummary>()(z.object({ chatId: id, title: z.string().trim().min(1).max(200) })),
  'chat.delete': call<{ ok: true }>()(chatRef),
  'chat.export': call<{ markdown: string; fileName: string }>()(chatRef),

  'models.list': call<ModelInfo[]>()(none),
  'models.status': call<ModelStatus>()(none),
  'models.load': call<ModelStatus>()(z.object({ path, contextSize: z.number().int().min(256).max(131072).optional() })),
  'models.unload': call<ModelStatus>()(none),
  'models.download': call<{ started: string[] }>()(z.object({ ids: z.array(id).max(20).optional() })),
  /** Trust (issue 9): default models by laptop memory and the tier this machine fits. */
  'models.catalogue': call<ModelCatalogueView>()(none),
  'models.cancelDownload': call<{ ok: boolean }>()(z.object({ id })),
  'adapters.apply': call<ModelStatus>()(z.object({ adapters: z.array(z.object({ path, scale: z.number().min(0).max(4) })).max(8) })),

  // Answer engine: local runtime or an inference server; probe lists a server's models (issue 15).
  'engine.get': call<EngineView>()(none),
  'engine.probe': call<{ url: string; server: string; models: RemoteServerModel[]; notice: string }>()(
    z.object({ url: z.string().trim().min(1).max(2000), apiKey: z.string().max(4096).optional() }),
  ),
  'engine.set': call<EngineView>()(
    z.object({
      kind: z.enum(['local', 'remote']),
      url: z.string().trim().min(1).max(2000).optional(),
      model: z.string().min(1).max(500).optional(),
      /** A new API key for this server; null removes the stored one; absent keeps it. */
      apiKey: z.string().max(4096).nullable().optional(),
      /** The user has seen what leaves the laptop (the question and the retrieved passages). */
      acceptNotice: z.boolean().optional(),
    }),
  ),

  'settings.get': call<SettingsView>()(none),
  'settings.set': call<SettingsView>()(SettingsSchema.partial().strict()),

  'packs.import': call<PackInfo>()(
    z.object({
      path,
      // Consent (pack preview; CLI flags): unsigned pack, signer this machine does not trust, another signer than the installed version's.
      allowUnsigned: z.boolean().optional(),
      allowUntrusted: z.boolean().optional(),
      allowSignerChange: z.boolean().optional(),
      allowDowngrade: z.boolean().optional(),
      /** Public keys (PEM) the user trusts for this import (CLI --trust-key); ignored when a policy requires signed packs. */
      trustKeys: z.array(z.string().min(1).max(4000)).max(10).optional(),
    }),
  ),
  /** What a pack file holds, who signed it and what importing it would do, without installing it. */
  'packs.inspect': call<PackPreview>()(z.object({ path, trustKeys: z.array(z.string().min(1).max(4000)).max(10).optional() })),
  /** The documents of an installed pack. */
  'packs.documents': call<PackDocument[]>()(z.object({ id })),
  /** Re-checks every file of an installed pack against its manifest's hashes. */
  'packs.verifyInstalled': call<{ ok: boolean; files: number; message: string }>()(z.object({ id })),
  /** Admin: builds a signed pack from a collection's committed index. */
  /** `out`: where the user chose to save it (CLI: any path; Electron: the save dialog decides; web host: a browser download at `download`). */
  'packs.build': call<{ file: string; bytes: number; pack: PackInfo; download?: string }>()(
    z.object({
      collection: id,
      out: path.optional(),
      name: z.string().min(1).max(200).optional(),
      version: z.string().min(1).max(50).optional(),
      publisher: z.string().min(1).max(200).optional(),
      description: z.string().max(2000).optional(),
      keyPath: path.optional(),
      includeDocuments: z.boolean().optional(),
      includeModel: z.boolean().optional(),
      adapter: z.object({ path, scale: z.number().min(0).max(4) }).optional(),
      /** Folder holding a signed policy.json (+ .sig) to ship with the pack. */
      policyDir: path.optional(),
      /** The answer model the pack is meant for, recorded by name and SHA-256. */
      llm: path.optional(),
      /** A question set to carry, run now on the collection; the results ship as the publisher's. */
      eval: path.optional(),
      evalModes: z.array(z.enum(EVAL_MODES)).min(1).max(5).optional(),
    }),
  ),
  /** Checks a pack file (signature and every hash) without installing it. */
  'packs.verify': call<{ pack: PackInfo; files: number; bytes: number }>()(
    z.object({ path, full: z.boolean().optional(), trustKeys: z.array(z.string().min(1).max(4000)).max(10).optional() }),
  ),
  'packs.list': call<PackInfo[]>()(none),
  'packs.remove': call<{ ok: true }>()(z.object({ id })),
  'policy.get': call<PolicyView>()(none),

  // Evaluation: run a question set in several modes, read and compare reports, re-check a pack's published results.
  'eval.run': call<{ runId: string }>()(EvalRunInputSchema),
  'eval.cancel': call<{ ok: boolean }>()(z.object({ runId: id })),
  'eval.list': call<EvalOverview>()(none),
  'eval.get': call<EvalReport>()(z.object({ runId: id })),
  'eval.compare': call<EvalComparison>()(z.object({ a: id, b: id })),
  'eval.checkPack': call<{ runId: string }>()(z.object({ packId: id })),
} as const;

export type CallName = keyof typeof calls;
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type CallOutput<N extends CallName> = (typeof calls)[N]['output'];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

/** Validates a call's input; throws a zod error listing every bad field. */
export function parseInput<N extends CallName>(name: N, input: unknown): z.output<(typeof calls)[N]['input']> {
  return calls[name].input.parse(input ?? {}) as z.output<(typeof calls)[N]['input']>;
}

// ---------------------------------------------------------------------------------------------
// Events (engine → every client)
// ---------------------------------------------------------------------------------------------

export interface EventMap {
  'index.progress': IndexProgress;
  'library.changed': { collections: CollectionInfo[] };
  'answer.started': { chatId: string; messageId: string; question: string; searchOnly: boolean };
  'answer.token': { chatId: string; messageId: string; token: string };
  'answer.citations': { chatId: string; messageId: string; citations: Citation[] };
  'answer.done': { chatId: string; messageId: string; message: ChatMessage };
  'models.changed': ModelStatus;
  'models.loading': { path: string; progress: number };
  'download.progress': DownloadProgress;
  'settings.changed': SettingsView;
  'chats.changed': { chats: ChatSummary[] };
  /** The answer engine changed (local runtime or a server; issue 15). */
  'engine.changed': EngineView;
  /** The user asked (menu, drag and drop) to import something; the UI shows it. */
  'app.command': { command: 'add-folder' | 'import-pack' | 'toggle-dark' | 'focus-question' | 'open-settings'; path?: string };
  /** An evaluation run advanced, finished, was cancelled or failed. */
  'eval.progress': EvalProgress;
}

export type EventName = keyof EventMap;

export const EVENT_NAMES: EventName[] = [
  'index.progress',
  'library.changed',
  'answer.started',
  'answer.token',
  'answer.citations',
  'answer.done',
  'models.changed',
  'models.loading',
  'download.progress',
  'settings.changed',
  'chats.changed',
  'app.command',
  'eval.progress',
  'engine.changed',
];

// ---------------------------------------------------------------------------------------------
// The API every adapter exposes
// ---------------------------------------------------------------------------------------------

export interface LanternApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** Errors cross every transport as this shape. */
export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The name of the global the Electron preload exposes. */
export const BRIDGE_GLOBAL = 'lantern';
/** IPC channel names (Electron). */
export const IPC_CALL = 'lantern:call';
export const IPC_EVENT = 'lantern:event';
