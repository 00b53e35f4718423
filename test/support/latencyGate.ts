/**
 * A latency the simulator holds until the test opens it (pass `sleep` to `startTestApp`, then add a
 * `latency` fault): `held` resolves when a matching request is being held, before the simulator handles
 * it, so the test can change the world in that gap and the held request then sees the change.
 */
export function latencyGate(): {
  sleep: (ms: number) => Promise<void>;
  held: Promise<void>;
  open: () => void;
} {
  let open!: () => void;
  let markHeld!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const held = new Promise<void>((r) => (markHeld = r));
  return {
    sleep: async () => {
      markHeld();
      await opened;
    },
    held,
    open,
  };
}
