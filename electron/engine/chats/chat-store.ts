import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { atomicWriteJson } from '../core/atomic-write.js';
import { LanternError } from '../core/errors.js';
import type { Chat, ChatMessage, ChatSummary, SearchScope } from '../../shared/contract.js';

const ID = /^[a-z0-9-]{1,64}$/;

/** Conversations, one JSON file each under `<dataDir>/chats`, written atomically. */
export class ChatStore {
  private cache = new Map<string, Chat>();

  private constructor(private readonly dir: string) {}

  static async open(dataDir: string): Promise<ChatStore> {
    const store = new ChatStore(join(dataDir, 'chats'));
    await mkdir(store.dir, { recursive: true });
    for (const name of await readdir(store.dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const chat = JSON.parse(await readFile(join(store.dir, name), 'utf8')) as Chat;
        if (ID.test(chat.id)) store.cache.set(chat.id, chat);
      } catch {
        /* a damaged chat file is skipped, not fatal */
      }
    }
    return store;
  }

  list(): ChatSummary[] {
    return [...this.cache.values()].map(summary).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  get(id: string): Chat {
    const chat = this.cache.get(id);
    if (!chat) throw new LanternError('not-found', 'That conversation no longer exists.');
    return chat;
  }

  async create(collection: string | null, title = 'New chat'): Promise<Chat> {
    const now = new Date().toISOString();
    const chat: Chat = { id: randomUUID(), collection, title, createdAt: now, updatedAt: now, messages: 0, history: [] };
    await this.save(chat);
    return chat;
  }

  /** A new chat that opens with a question (and its scope): one write where create, setScope and append make up to three. */
  async start(collection: string | null, first: ChatMessage, scope?: SearchScope): Promise<Chat> {
    const now = new Date().toISOString();
    const title = first.role === 'user' ? titleFrom(first.content) : 'New chat';
    const chat: Chat = { id: randomUUID(), collection, title, createdAt: now, updatedAt: now, messages: 1, history: [first], ...(scope && { scope }) };
    await this.save(chat);
    return chat;
  }

  async rename(id: string, title: string): Promise<ChatSummary> {
    const chat = this.get(id);
    chat.title = title;
    await this.save(chat);
    return summary(chat);
  }

  async delete(id: string): Promise<void> {
    this.get(id);
    this.cache.delete(id);
    await rm(join(this.dir, `${id}.json`), { force: true });
  }

  async append(id: string, message: ChatMessage): Promise<void> {
    const chat = this.get(id);
    chat.history.push(message);
    if (chat.history.length === 1 && message.role === 'user') chat.title = titleFrom(message.content);
    await this.save(chat);
  }

  async replace(id: string, message: ChatMessage): Promise<void> {
    const chat = this.get(id);
    const i = chat.history.findIndex((m) => m.id === message.id);
    if (i < 0) chat.history.push(message);
    else chat.history[i] = message;
    await this.save(chat);
  }

  /** Remembers what this chat searches (issue 9): later questions in it use the same scope. */
  async setScope(id: string, scope: SearchScope | undefined): Promise<void> {
    const chat = this.get(id);
    chat.scope = scope;
    await this.save(chat);
  }

  /** Drops the last assistant answer so it can be generated again. */
  async dropLastAnswer(id: string): Promise<ChatMessage | null> {
    const chat = this.get(id);
    const last = chat.history.at(-1);
    if (last?.role !== 'assistant') return null;
    chat.history.pop();
    await this.save(chat);
    return last;
  }

  private async save(chat: Chat): Promise<void> {
    chat.updatedAt = new Date().toISOString();
    chat.messages = chat.history.length;
    this.cache.set(chat.id, chat);
    await atomicWriteJson(join(this.dir, `${chat.id}.json`), chat);
  }
}

function summary(c: Chat): ChatSummary {
  return {
    id: c.id,
    collection: c.collection,
    title: c.title,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    messages: c.history.length,
    ...(c.scope && { scope: c.scope }),
  };
}

function titleFrom(question: string): string {
  const t = question.replace(/\s+/g, ' ').trim();
  return t.length > 60 ? t.slice(0, 57) + '…' : t;
}

/** A conversation as Markdown, its citations listed under each answer. */
export function chatToMarkdown(chat: Chat): string {
  const lines = [`# ${chat.title}`, '', `_Exported from Lantern on ${new Date().toISOString().slice(0, 10)}_`, ''];
  for (const m of chat.history) {
    if (m.role === 'user') {
      lines.push(`## ${m.content}`, '');
      continue;
    }
    lines.push(m.content || '_(no answer)_', '');
    if (m.citations?.length) {
      lines.push('**Sources**', '');
      for (const c of m.citations) lines.push(`${c.n}. ${describeLocation(c.location)} — “${excerpt(c.text)}”`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

export function describeLocation(l: import('../../shared/contract.js').SourceLocation): string {
  const parts = [l.relPath];
  if (l.page) parts.push(l.pageEnd ? `pages ${l.page}–${l.pageEnd}` : `page ${l.page}`);
  if (l.slide) parts.push(`slide ${l.slide}`);
  if (l.sheet) parts.push(l.row ? `${l.sheet}, row ${l.row}${l.rowEnd ? `–${l.rowEnd}` : ''}` : l.sheet);
  else if (l.lineStart) parts.push(`lines ${l.lineStart}–${l.lineEnd ?? l.lineStart}`);
  if (l.headingPath?.length) parts.push(l.headingPath.join(' › '));
  return parts.join(', ');
}

function excerpt(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 160 ? t.slice(0, 157) + '…' : t;
}
