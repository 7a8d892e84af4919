/** The evaluation protocol, printed with every table so no number is read out of context. */
export interface ProtocolDescription {
  split: 'leave-one-out';
  ranking: 'full';
  candidates: number;
  maxHistory: number;
  maskHistory: boolean;
  ties: 'expected' | 'strict';
  selection: string;
}

export function describeProtocol(numItems: number, maxHistory: number, selectMetric = 'ndcg@10'): ProtocolDescription {
  return {
    split: 'leave-one-out',
    ranking: 'full',
    candidates: numItems,
    maxHistory,
    maskHistory: false,
    ties: 'expected',
    selection: `valid ${selectMetric}`,
  };
}

export function formatProtocol(protocol: ProtocolDescription): string {
  return (
    `protocol: ${protocol.split} (last item test, second-to-last valid), full ranking over all ` +
    `${protocol.candidates.toLocaleString('en-US')} items, history ≤ ${protocol.maxHistory}, ` +
    `history ${protocol.maskHistory ? 'masked' : 'not masked'}, ties at ${protocol.ties} rank, ` +
    `model selection on ${protocol.selection}`
  );
}
