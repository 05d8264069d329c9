import { DEMO_HISTORY_DAYS, DEMO_SETUP_DAY } from "../../lib/services/demo/story";
import { isDemoDay, recordedServerUrl, seedDemo } from "../../lib/services/demo/seed";
import { optionalText } from "../args";
import { UsageError } from "../errors";
import type { GroupSpec } from "../command";

/** `wharf demo seed`: fills this data dir's running server with the demo's story (what `npm run demo` shows). */
export const demo: GroupSpec = {
  summary: "Fill a Wharf with a demo story: registries, images, people, tokens, webhooks and activity.",
  children: {
    seed: {
      summary: "Seed the demo through the services and the running server's /v2; safe to run again.",
      options: [
        { flags: "--url <url>", help: "The running server (default: the address it recorded in this data dir)." },
        { flags: "--day <n>", help: `Play the day this many days before today (${DEMO_SETUP_DAY}, the setup day, or -${DEMO_HISTORY_DAYS}…0); npm run demo plays each with the clock moved back.`, default: "0" },
        { flags: "--webhook-url <url>", help: "A receiver for the demo's deploybot webhook (npm run demo runs one)." },
      ],
      examples: [
        { title: "Seed the server running on this data dir.", command: "wharf demo seed" },
        { title: "Seed a server on another port.", command: "wharf demo seed --url http://127.0.0.1:3100" },
      ],
      table: [
        { header: "SIGN IN AS", field: "username" },
        { header: "PASSWORD", field: "password" },
        { header: "ROLE", field: "role" },
      ],
      run: async (args, { note }) => {
        const day = Number(optionalText(args.day) ?? "0");
        if (!isDemoDay(day)) throw new UsageError(`argument --day: give ${DEMO_SETUP_DAY} (the setup day) or a whole number from -${DEMO_HISTORY_DAYS} to 0.`);
        const url = optionalText(args.url) ?? recordedServerUrl();
        const secrets = await seedDemo({ url, day, webhookUrl: optionalText(args.webhookUrl) ?? null, log: note });
        return [
          { username: secrets.pipeline.clientId, password: secrets.pipeline.secret, role: "ci-pipeline: AcrPush on the organisation" },
          { username: secrets.deployToken.username, password: secrets.deployToken.password, role: "token of contosoprod: pull shop/api and shop/frontend" },
        ];
      },
    },
  },
};
