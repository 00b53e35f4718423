/** The kill harness lives with the chaos command (`shared/chaos/dying.ts`); tests use the same one. */
export { dyingAt, type KillPoint } from '../../shared/chaos/dying';
