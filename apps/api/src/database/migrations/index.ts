import { Registry1763800000000 } from './1763800000000-registry.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [Registry1763800000000];
