// The hashicorp go-plugin handshake line the plugin prints on stdout: CORE|APP|NETWORK|ADDR|PROTOCOL|CERT[|MUX].

export interface Handshake {
  coreVersion: number;
  appVersion: number;
  network: 'unix' | 'tcp';
  address: string;
  protocol: string;
  /** base64 DER server certificate; only with AutoMTLS, which Grafana never enables. */
  serverCert?: string;
  multiplexed: boolean;
}

/** Parses one stdout line; throws with the reason when it is not a usable handshake. */
export function parseHandshake(line: string): Handshake {
  const parts = line.trim().split('|');
  if (parts.length < 4) {
    throw new Error(`not a go-plugin handshake (need at least 4 '|' fields): ${JSON.stringify(line.slice(0, 200))}`);
  }
  const coreVersion = Number(parts[0]);
  if (coreVersion !== 1) {
    throw new Error(`unsupported go-plugin core protocol version ${parts[0]} (this host speaks 1)`);
  }
  const appVersion = Number(parts[1]);
  if (appVersion !== 2) {
    throw new Error(`plugin negotiated protocol version ${parts[1]}; Grafana's backend plugins speak 2`);
  }
  const network = parts[2];
  if (network !== 'unix' && network !== 'tcp') {
    throw new Error(`unsupported network "${network}" in handshake`);
  }
  const protocol = parts[4] ?? 'netrpc';
  if (protocol !== 'grpc') {
    throw new Error(`plugin speaks "${protocol}", not grpc`);
  }
  // go-plugin treats the certificate as present only when it is longer than 50 characters.
  const cert = parts[5] && parts[5].length > 50 ? parts[5] : undefined;
  let address = parts[3];
  // Standalone "dummy locator" mode prints ':port'; that means localhost.
  if (network === 'tcp' && address.startsWith(':')) {
    address = `127.0.0.1${address}`;
  }
  return { coreVersion, appVersion, network, address, protocol, serverCert: cert, multiplexed: parts[6] === 'true' };
}

/** The grpc-js target for a handshake. */
export function grpcTarget(h: Handshake): string {
  return h.network === 'unix' ? `unix://${h.address}` : h.address;
}
