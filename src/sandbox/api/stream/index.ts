// Public surface of the streaming subresources: exec and attach over WebSocket, port-forward over
// WebSocket and SPDY/3.1 (plain, or tunnelled in a WebSocket; the SPDY layer lives in spdy/).
export { handleAttachUpgrade, handleExecUpgrade } from './exec.js';
export { handlePortForwardUpgrade, type PortConnector, type PortForwardOptions } from './portforward.js';
export {
  parseAttachQuery,
  parseExecQuery,
  parsePortForwardQuery,
  readBooleanParam,
  validateExecParams,
  type ExecParams,
} from './stream-query.js';
export {
  SPDY_NOT_SUPPORTED_MESSAGE,
  isSpdyUpgrade,
  isWebSocketUpgrade,
  rejectUnsupportedUpgrade,
  rejectUpgrade,
  respondUpgradeRequired,
} from './upgrade-errors.js';
export {
  CHANNEL_V1,
  CHANNEL_V4,
  CHANNEL_V5,
  Channel,
  PORT_FORWARD_PROTOCOLS,
  REMOTE_COMMAND_PROTOCOLS,
  SPDY_TUNNEL_PORT_FORWARD,
} from './channel-protocol.js';
