//! The enterprise-user logins of one run. Altinn locks an enterprise user after a few
//! failed logins, so a run, with all its profiles (`--all-profiles`), sends each user and
//! password once, and after one failed login sends that user nothing more.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::vocab::Secret;

/// The logins of one run, shared by its profiles.
#[derive(Default)]
pub(crate) struct Logins {
    /// By platform and user name (any case): the attempts made, in order. The inner
    /// lock is held across a login, so two profiles naming one user take turns.
    users: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Vec<Tried>>>>>,
}

/// One login sent in this run.
struct Tried {
    password: Secret,
    /// The Altinn token it gave, when it logged in.
    token: Option<Secret>,
    /// The profile that sent it (`None` for a run of one profile).
    profile: Option<String>,
}

/// What the run's earlier logins allow for a user and password.
pub(crate) enum Turn {
    /// Nothing forbids a login: send it, and record how it went.
    Go(Attempt),
    /// The same user and password logged in for an earlier profile: its token, unsent.
    LoggedInBefore { profile: Option<String>, token: Secret },
    /// This user's login failed earlier in the run: nothing is sent. `same_password`
    /// when it was this very password (so it is known to be refused).
    FailedBefore { profile: Option<String>, same_password: bool },
}

/// The right to send one login; the user's turn is held until it is recorded.
pub(crate) struct Attempt {
    turn: tokio::sync::OwnedMutexGuard<Vec<Tried>>,
    password: Secret,
}

impl Attempt {
    /// Records the login sent: its token when it logged in, `None` for any other end
    /// (refused, locked, an error on the way): the user is then tried no more.
    pub(crate) fn record(mut self, token: Option<Secret>, profile: Option<String>) {
        self.turn.push(Tried { password: self.password, token, profile });
    }
}

impl Logins {
    /// Waits for the user's turn, then says whether a login may be sent.
    pub(crate) async fn turn(&self, platform: &str, user: &str, password: &Secret) -> Turn {
        let key = format!("{platform}\n{}", user.to_lowercase());
        let slot = match self.users.lock() {
            Ok(mut users) => users.entry(key).or_default().clone(),
            // A poisoned ledger cannot tell what was sent: send nothing.
            Err(_) => return Turn::FailedBefore { profile: None, same_password: false },
        };
        let tried = slot.lock_owned().await;
        if let Some(failed) = tried.iter().find(|t| t.token.is_none()) {
            let same_password = failed.password == *password;
            return Turn::FailedBefore { profile: failed.profile.clone(), same_password };
        }
        if let Some(ok) = tried.iter().find(|t| t.password == *password)
            && let Some(token) = &ok.token
        {
            return Turn::LoggedInBefore { profile: ok.profile.clone(), token: token.clone() };
        }
        Turn::Go(Attempt { turn: tried, password: password.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> Secret {
        Secret::new(s.to_string())
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    }

    #[test]
    fn a_failed_user_is_not_tried_again_with_any_password() {
        let logins = Logins::default();
        let Turn::Go(a) = block_on(logins.turn("p", "Bruker", &secret("wrong"))) else { panic!("first") };
        a.record(None, Some("one".into()));
        match block_on(logins.turn("p", "bruker", &secret("wrong"))) {
            Turn::FailedBefore { profile, same_password } => {
                assert_eq!(profile.as_deref(), Some("one"));
                assert!(same_password);
            }
            _ => panic!("the same user and password are sent once"),
        }
        assert!(matches!(
            block_on(logins.turn("p", "BRUKER", &secret("other"))),
            Turn::FailedBefore { same_password: false, .. }
        ));
        assert!(matches!(block_on(logins.turn("p", "another", &secret("wrong"))), Turn::Go(_)), "another user");
        assert!(matches!(block_on(logins.turn("q", "bruker", &secret("wrong"))), Turn::Go(_)), "another platform");
    }

    #[test]
    fn a_login_that_worked_is_reused_not_resent() {
        let logins = Logins::default();
        let Turn::Go(a) = block_on(logins.turn("p", "u", &secret("right"))) else { panic!("first") };
        a.record(Some(secret("token")), Some("one".into()));
        match block_on(logins.turn("p", "u", &secret("right"))) {
            Turn::LoggedInBefore { profile, token } => {
                assert_eq!(profile.as_deref(), Some("one"));
                assert_eq!(token.expose(), "token");
            }
            _ => panic!("reused"),
        }
        assert!(matches!(block_on(logins.turn("p", "u", &secret("other"))), Turn::Go(_)));
    }
}
