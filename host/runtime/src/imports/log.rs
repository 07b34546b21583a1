//! `log.write`: bounded, kept in the call report (never in the host's own
//! logs, since a skill may write anything, including customer data).

use crate::audit::SharedAudit;
use crate::bindings::baton::skill::log::{Host, Level};
use crate::call::{LogLevel, LogLine};
use wasmtime::component::HasData;

/// Bytes of log one call may keep; the rest is counted and dropped.
const MAX_LOG_BYTES: usize = 64 * 1024;

/// What `log` works with: the call's audit, where its lines are kept.
pub(crate) struct Log<'a> {
    pub(crate) audit: &'a SharedAudit,
}

impl HasData for Log<'static> {
    type Data<'a> = Log<'a>;
}

impl Host for Log<'_> {
    async fn write(&mut self, level: Level, message: String) -> wasmtime::Result<()> {
        if let Ok(mut audit) = self.audit.lock() {
            if audit.log_bytes + message.len() <= MAX_LOG_BYTES {
                audit.log_bytes += message.len();
                audit.logs.push(LogLine {
                    level: match level {
                        Level::Debug => LogLevel::Debug,
                        Level::Info => LogLevel::Info,
                        Level::Warn => LogLevel::Warn,
                        Level::Error => LogLevel::Error,
                    },
                    message,
                });
            } else {
                audit.log_bytes = MAX_LOG_BYTES + 1;
            }
        }
        Ok(())
    }
}
