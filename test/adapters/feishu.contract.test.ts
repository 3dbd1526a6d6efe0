import { platformContract } from './contract.ts';
import { feishuDriver } from './drivers/feishu.ts';

platformContract(feishuDriver);
