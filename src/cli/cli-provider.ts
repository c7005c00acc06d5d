// The provider the command line runs: the offline engine on sharp, or a hosted one through the same
// registry the plugin uses, with its key from the environment.
import { nodeBackend } from '../imaging/backend-node'
import { describeHosted } from '../protocol/provider-list'
import { createLocalProvider } from '../providers/local'
import type { ReframeProvider } from '../providers/provider'
import { createProvider } from '../providers/registry'
import type { CliOptions } from './cli-options'

export type ProviderChoice = { ok: true; provider: ReframeProvider } | { ok: false; message: string }

export function createCliProvider(options: CliOptions, env: Record<string, string | undefined>): ProviderChoice {
  if (options.provider === 'local') return { ok: true, provider: createLocalProvider({ backend: nodeBackend, mode: options.mode, fill: options.fill }) }
  const variable = describeHosted(options.provider).key.env
  const apiKey = env[variable]?.trim()
  if (!apiKey) {
    return {
      ok: false,
      message: `--provider ${options.provider} needs an API key: set ${variable} in the environment (or use --provider local, which needs none).`
    }
  }
  return { ok: true, provider: createProvider(options.provider, { apiKey, baseUrl: options.baseUrl }) }
}
