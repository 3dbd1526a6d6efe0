import { platformContract } from './contract.ts';
import { slackDriver } from './drivers/slack.ts';

platformContract(slackDriver);
