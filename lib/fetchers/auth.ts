// Credentials for one origin, sent as HTTP Basic auth by the fetcher and the robots.txt loader.
/** A user name and password for one origin (`http://host:port`), as given, not percent-encoded. */
export interface BasicAuth {
  origin: string;
  username: string;
  password: string;
}

/** The Authorization header of HTTP Basic auth (RFC 7617: user-id ":" password, UTF-8, base64). */
export function basicAuthorization({ username, password }: BasicAuth): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
