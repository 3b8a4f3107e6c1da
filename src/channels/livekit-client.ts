import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { Config } from '../config';

export function createAgentDispatchClient(settings: Config['livekit']): AgentDispatchClient {
  return new AgentDispatchClient(settings.url, settings.apiKey, settings.apiSecret);
}

export function createRoomServiceClient(settings: Config['livekit']): RoomServiceClient {
  return new RoomServiceClient(settings.url, settings.apiKey, settings.apiSecret);
}
