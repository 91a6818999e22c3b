import { create } from 'zustand';
import { getApi } from '../api/client';
import type { ChatMessage, ChatSummary, Citation, SearchScope } from '../../../electron/shared/contract';

interface Streaming {
  messageId: string;
  chatId: string;
  text: string;
  citations: Citation[];
  searchOnly: boolean;
}

interface ChatState {
  chats: ChatSummary[];
  chatId: string | null;
  history: ChatMessage[];
  streaming: Streaming | null;
  /** What this chat searches (remembered by the chat once it asks); undefined: everything. */
  scope: SearchScope | undefined;
  /** The scope was changed here and is sent with the next question. */
  scopeChanged: boolean;
  setScope(scope: SearchScope | undefined): void;
  loadList(): Promise<void>;
  open(chatId: string): Promise<void>;
  newChat(): void;
  ask(question: string, opts?: { regenerate?: boolean; asTyped?: boolean; answerAnyway?: boolean }): Promise<void>;
  stop(): Promise<void>;
  rename(chatId: string, title: string): Promise<void>;
  remove(chatId: string): Promise<void>;
  exportChat(chatId: string): Promise<void>;
  onStarted(e: { chatId: string; messageId: string; searchOnly: boolean }): void;
  onToken(e: { messageId: string; token: string }): void;
  onCitations(e: { messageId: string; citations: Citation[] }): void;
  onDone(e: { chatId: string; messageId: string; message: ChatMessage }): void;
}

export const useChat = create<ChatState>((set, get) => ({
  chats: [],
  chatId: null,
  history: [],
  streaming: null,
  scope: undefined,
  scopeChanged: false,
  setScope: (scope) => set({ scope, scopeChanged: true }),
  async loadList() {
    set({ chats: await getApi().call('chat.list', {}) });
  },
  async open(chatId) {
    const chat = await getApi().call('chat.get', { chatId });
    set({ chatId, history: chat.history, streaming: null, scope: chat.scope, scopeChanged: false });
  },
  newChat: () => set({ chatId: null, history: [], streaming: null, scope: undefined, scopeChanged: false }),
  async ask(question, opts = {}) {
    const { chatId, history } = get();
    if (!opts.regenerate) {
      set({ history: [...history, { id: `local-${Date.now()}`, role: 'user', content: question, createdAt: new Date().toISOString() }] });
    } else if (history.at(-1)?.role === 'assistant') {
      set({ history: history.slice(0, -1) });
    }
    const { scope, scopeChanged } = get();
    const r = await getApi().call('chat.ask', {
      question,
      chatId: chatId ?? undefined,
      regenerate: opts.regenerate,
      asTyped: opts.asTyped,
      answerAnyway: opts.answerAnyway,
      // An empty scope tells the chat to search everything again.
      ...(scopeChanged && { scope: scope ?? {} }),
    });
    set({ scopeChanged: false });
    if (!get().chatId) set({ chatId: r.chatId });
    // Events can beat this reply: the answer may be streaming, or even finished, already.
    const finished = get().history.some((m) => m.id === r.messageId);
    if (!get().streaming && !finished) set({ streaming: { messageId: r.messageId, chatId: r.chatId, text: '', citations: [], searchOnly: false } });
  },
  async stop() {
    const s = get().streaming;
    if (s) await getApi().call('chat.cancel', { messageId: s.messageId });
  },
  async rename(chatId, title) {
    await getApi().call('chat.rename', { chatId, title });
  },
  async remove(chatId) {
    await getApi().call('chat.delete', { chatId });
    if (get().chatId === chatId) get().newChat();
  },
  async exportChat(chatId) {
    const { markdown, fileName } = await getApi().call('chat.export', { chatId });
    const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    URL.revokeObjectURL(url);
  },
  onStarted(e) {
    if (get().chatId && e.chatId !== get().chatId) return;
    const s = get().streaming;
    if (s && s.messageId === e.messageId) set({ streaming: { ...s, searchOnly: e.searchOnly } });
    else set({ streaming: { messageId: e.messageId, chatId: e.chatId, text: '', citations: [], searchOnly: e.searchOnly } });
  },
  onToken(e) {
    const s = get().streaming;
    if (s?.messageId === e.messageId) set({ streaming: { ...s, text: s.text + e.token } });
  },
  onCitations(e) {
    const s = get().streaming;
    if (s?.messageId === e.messageId) set({ streaming: { ...s, citations: e.citations } });
  },
  onDone(e) {
    const s = get().streaming;
    if (s?.messageId !== e.messageId && e.chatId !== get().chatId) return;
    set({ streaming: null, history: [...get().history, e.message] });
  },
}));
