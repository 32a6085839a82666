/** A registrar failure that ends as a SIP response with `status`. */
export class RegistrarError extends Error {
  constructor(
    readonly status: number,
    readonly reasonPhrase: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(`${status} ${reasonPhrase}`, options);
    this.name = 'RegistrarError';
  }
}
