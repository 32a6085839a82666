/** Message dumps at debug level must not carry credentials. */
export function redactCredentials(text: string): string {
  return text.replace(/^((?:Proxy-)?Authorization\s*:).*$/gim, '$1 [redacted]');
}
