//! The one error type the CLI reports: a kind that decides the exit code, a message, an
//! optional block of details (e.g. every fleet diagnostic) and `hint:` lines.

use std::fmt;

/// What went wrong, and so which exit code (see the README's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Findings: drift, alerts at or above `--fail-on`. Exit 1.
    Findings,
    /// Bad flags, an invalid fleet, an unknown machine, a store that cannot be used. Exit 2.
    Config,
    /// Some machines unreachable or a remote step failed while others were done. Exit 3.
    Partial,
    /// Not allowed: whitelist, host key mismatch, authentication. Exit 4.
    Refused,
    /// Output was cut short by a closed pipe (`homelabcmd machines | head`): exit 0, quietly.
    BrokenPipe,
}

/// An error ready to be shown to the operator.
#[derive(Debug)]
pub struct Error {
    pub(crate) kind: Kind,
    pub(crate) message: String,
    pub(crate) details: Option<String>,
    pub(crate) hints: Vec<String>,
}

impl Error {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            details: None,
            hints: Vec::new(),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::new(Kind::Config, message)
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub(crate) fn hints(mut self, hints: impl IntoIterator<Item = String>) -> Self {
        self.hints.extend(hints);
        self
    }

    /// Add one line to the details printed before the error.
    pub(crate) fn details_line(mut self, line: impl Into<String>) -> Self {
        let mut text = self.details.take().unwrap_or_default();
        text.push_str(&line.into());
        text.push('\n');
        self.details = Some(text);
        self
    }

    pub(crate) fn details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::BrokenPipe => 0,
            Kind::Findings => 1,
            Kind::Config => 2,
            Kind::Partial => 3,
            Kind::Refused => 4,
        }
    }

    /// Print to stderr as `details`, `error: message`, `hint: …` (nothing for a broken pipe).
    pub fn report(&self) {
        if self.kind == Kind::BrokenPipe {
            return;
        }
        let mut text = String::new();
        if let Some(details) = &self.details {
            text.push_str(details);
            if !details.ends_with('\n') {
                text.push('\n');
            }
        }
        if !self.message.is_empty() {
            text.push_str(&format!("error: {}\n", self.message));
        }
        for hint in &self.hints {
            text.push_str(&format!("hint: {hint}\n"));
        }
        eprint!("{text}");
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Self::new(Kind::BrokenPipe, "")
        } else {
            Self::config(e.to_string())
        }
    }
}

impl From<crate::fleet::source::SourceError> for Error {
    fn from(e: crate::fleet::source::SourceError) -> Self {
        let hints = e.hints();
        Self::config(e.to_string()).hints(hints)
    }
}

impl From<crate::fleet::LoadError> for Error {
    fn from(e: crate::fleet::LoadError) -> Self {
        match e {
            crate::fleet::LoadError::Source(e) => e.into(),
            crate::fleet::LoadError::Invalid(invalid) => {
                Self::config(invalid.summary()).details(invalid.render())
            }
        }
    }
}

impl From<crate::store::StoreError> for Error {
    fn from(e: crate::store::StoreError) -> Self {
        let hints = e.hints();
        Self::config(e.to_string()).hints(hints)
    }
}

impl From<crate::compliance::check::CheckError> for Error {
    fn from(e: crate::compliance::check::CheckError) -> Self {
        match e {
            crate::compliance::check::CheckError::Store(e) => e.into(),
            other => Self::config(other.to_string()),
        }
    }
}

impl From<crate::compliance::run::ApplyError> for Error {
    fn from(e: crate::compliance::run::ApplyError) -> Self {
        match e {
            crate::compliance::run::ApplyError::Store(e) => e.into(),
        }
    }
}
