import { platformContract } from './contract.ts';
import { dingtalkDriver } from './drivers/dingtalk.ts';

platformContract(dingtalkDriver);
