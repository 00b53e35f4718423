import { chatopsHandler } from '../shared/chatops/chatopsHandler';
import { httpFunction } from '../shared/host/registry';

/**
 * `chatops`: the Teams outgoing webhook `@day2 <command>` (docs/chatops.md). Anonymous at the Functions
 * level: Teams cannot send a function key in a header, and every call is verified by its HMAC instead.
 */
export const chatops = chatopsHandler();

httpFunction({
  name: 'chatops',
  methods: ['POST'],
  route: 'chatops',
  authLevel: 'anonymous',
  handler: chatops,
});
