import { platformContract } from './contract.ts';
import { wecomDriver } from './drivers/wecom.ts';

platformContract(wecomDriver);
