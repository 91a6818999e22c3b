import { chatToMarkdown } from '../../chats/chat-store.js';
import type { EngineContext, Handlers } from '../engine-context.js';

export function chatHandlers({ answers, chats, emit }: EngineContext) {
  const changed = () => emit('chats.changed', { chats: chats.list() });
  return {
    'chat.ask': (input) => answers.ask(input),
    'chat.cancel': async ({ messageId }) => ({ ok: answers.cancel(messageId) }),
    'chat.list': async () => chats.list(),
    'chat.get': async ({ chatId }) => chats.get(chatId),
    'chat.new': async ({ collection }) => {
      const chat = await chats.create(collection ?? null);
      changed();
      return chat;
    },
    'chat.rename': async ({ chatId, title }) => {
      const s = await chats.rename(chatId, title);
      changed();
      return s;
    },
    'chat.delete': async ({ chatId }) => {
      await chats.delete(chatId);
      changed();
      return { ok: true as const };
    },
    'chat.export': async ({ chatId }) => {
      const chat = chats.get(chatId);
      const fileName = `${
        chat.title
          .replace(/[^\w\- ]+/g, '')
          .trim()
          .replace(/\s+/g, '-')
          .slice(0, 60) || 'chat'
      }.md`;
      return { markdown: chatToMarkdown(chat), fileName };
    },
  } satisfies Partial<Handlers>;
}
