/** A process that starts Azurite and then waits: the test kills it and watches Azurite go. */
import { startAzurite } from '../../shared/local/azurite';

void startAzurite().then((a) => {
  process.stdout.write(`AZURITE ${a.pid}\n`);
  setInterval(() => undefined, 60_000);
});
