// For `npm start` without Twilio or LiveKit credentials: the stand-ins at the network edge,
// so a newcomer sees both channels complete. With credentials set, nothing here runs and
// the worker talks to the real services.
import path from 'node:path';
import type { ManagedProcess } from '../stack/processes';
import { LIVEKIT_DEV_CREDENTIALS, startLiveKit } from '../stack/servers';
import { startTwilioStandIn, type TwilioStandIn } from './twilio-standin';
import { startVoiceAgent } from './voice-agent';

/** The Twilio stand-in's account, which the apps are configured with (tests list its messages with it). */
export const DEV_TWILIO = { accountSid: 'ACdevelopmentonly', authToken: 'dev-twilio-auth-token' };

export interface EdgeStandInOptions {
  /** Do not echo what the stand-ins do. */
  quiet?: boolean;
  /** The Twilio stand-in's delay before each status callback. */
  twilioCallbackDelayMs?: number;
  /** Start the voice agent beside LiveKit (default true): the real Python agent, its callee and model stood in. */
  simulatedAgent?: boolean;
}

export async function startEdgeStandIns(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  ports: { twilioPort: number; livekitPort: number },
  { quiet = false, twilioCallbackDelayMs = 1_000, simulatedAgent = true }: EdgeStandInOptions = {},
) {
  const processes: ManagedProcess[] = [];
  const stops: (() => Promise<void>)[] = [];
  const describe: string[] = [];
  let twilioStandIn: TwilioStandIn | undefined;
  const log = (name: string) => (line: string) => (quiet ? undefined : console.log(`[${name}] ${line}`));

  if (!env.TWILIO_ACCOUNT_SID) {
    const twilio = await startTwilioStandIn({
      ...DEV_TWILIO,
      port: ports.twilioPort,
      callbackDelayMs: twilioCallbackDelayMs,
      log: log('twilio-stand-in'),
    });
    stops.push(() => twilio.close());
    twilioStandIn = twilio;
    Object.assign(env, {
      TWILIO_ACCOUNT_SID: DEV_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: DEV_TWILIO.authToken,
      TWILIO_API_BASE_URL: twilio.url,
    });
    describe.push(`    Twilio          STAND-IN at ${twilio.url} (no TWILIO_ACCOUNT_SID set)`);
  }

  if (!env.LIVEKIT_URL) {
    processes.push(await startLiveKit({ port: ports.livekitPort, output: { logFile: path.join(dataDir, 'livekit.log') } }));
    Object.assign(env, {
      LIVEKIT_URL: `http://127.0.0.1:${ports.livekitPort}`,
      LIVEKIT_API_KEY: LIVEKIT_DEV_CREDENTIALS.apiKey,
      LIVEKIT_API_SECRET: LIVEKIT_DEV_CREDENTIALS.apiSecret,
    });
    if (simulatedAgent) {
      const agent = await startVoiceAgent({
        livekitUrl: env.LIVEKIT_URL!,
        ...LIVEKIT_DEV_CREDENTIALS,
        agentName: env.LIVEKIT_AGENT_NAME ?? 'payment-reminder-agent',
        webhookSecret: env.WEBHOOK_SECRET ?? 'dev-webhook-secret',
        webhookUrl: env.WEBHOOK_URL ?? `${env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.API_PORT ?? 3000}`}/api/webhooks/call-status`,
        ...(quiet ? { logFile: path.join(dataDir, 'voice-agent.log') } : {}),
      });
      processes.push(agent);
    }
    describe.push(
      `    LiveKit         real livekit-server --dev at ${env.LIVEKIT_URL}, ${simulatedAgent ? 'with the Python voice agent (STAND-INS for the callee and the model)' : 'no voice agent'} (no LIVEKIT_URL set)`,
    );
  }

  return {
    processes,
    describe,
    twilioStandIn,
    stop: async () => {
      for (const stop of stops) await stop();
    },
  };
}
