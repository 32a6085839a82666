// Random identifiers for branches, tags and Call-IDs.
import { randomBytes } from 'node:crypto';

/** RFC 3261 §8.1.1.7: branch must start with the magic cookie. */
export function generateBranch(): string {
  return `z9hG4bK${randomBytes(12).toString('base64url')}`;
}

export function generateTag(): string {
  return randomBytes(8).toString('hex');
}

export function generateCallId(host?: string): string {
  const id = randomBytes(16).toString('base64url');
  return host ? `${id}@${host}` : id;
}
