import { FeedwatchService } from './app/feedwatch-service'
import { runDesktopApp } from './electron/desktop-app'

// The Electron main process: the desktop shell (src/main/electron/) around the service.
runDesktopApp({ startService: (options) => FeedwatchService.start(options), mainDir: __dirname })
