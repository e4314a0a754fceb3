import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { fieldError } from '../../platform/http/domain-error.js';

const strength = new ZxcvbnFactory({ graphs: adjacencyGraphs, dictionary });

/** zxcvbn's 0–4 scale: 3 is "safely unguessable" for an online attack that is rate-limited. */
const MIN_SCORE = 3;

/**
 * Refuses what an attacker tries first: blank padding, common and keyboard passwords, and the
 * account's own name. `context` holds the username and display name of the account.
 */
export function assertPasswordAcceptable(password: string, context: string[]): void {
  const refuse = (reason: string, message: string, warning: string | null = null) => {
    throw fieldError('PASSWORD_TOO_WEAK', 'password', message, { reason, warning });
  };
  if (password.trim().length < 12) refuse('TOO_SHORT', 'At least 12 characters besides spaces.');
  const lower = password.toLowerCase();
  for (const word of context) {
    const part = word.trim().toLowerCase();
    if (part.length >= 3 && lower.includes(part)) {
      refuse('CONTAINS_USERNAME', 'A password may not contain the account’s name.');
    }
  }
  const verdict = strength.check(password, context);
  if (verdict.score < MIN_SCORE) {
    refuse(
      'TOO_GUESSABLE',
      'Too easy to guess; use a few unrelated words or a longer phrase.',
      verdict.feedback.warning,
    );
  }
}
