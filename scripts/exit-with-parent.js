// Preloaded (node --require) into a helper process the app spawns, such as Azurite: the helper exits once
// the process that started it is gone, however that one ended (a signal, even SIGKILL), instead of
// running on as an orphan holding its ports and memory.
'use strict';
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();
