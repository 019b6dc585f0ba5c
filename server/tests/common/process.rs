//! The real server binary, started as a process of its own.

#![allow(dead_code)]

/// A server process of the real binary, on its own port.
pub struct ServerProcess {
    child: tokio::process::Child,
    pub addr: std::net::SocketAddr,
}

impl ServerProcess {
    /// Starts the binary on `database_url` without demo content, with a
    /// one-minute counter flush, trusting loopback as a proxy.
    pub async fn start(database_url: &str) -> Self {
        Self::start_with(database_url, &[]).await
    }

    /// [`ServerProcess::start`] with more (or overriding) environment.
    pub async fn start_with(database_url: &str, env: &[(&str, &str)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("CCHC_SEED_DEMO", "false")
            // A long interval: the hits of the test stay in memory until SIGTERM.
            .env("CCHC_COUNTER_FLUSH_MS", "60000")
            .env("RUST_LOG", "warn")
            // Tests relay many readers through loopback (`X-Forwarded-For`).
            .env("CCHC_TRUSTED_PROXIES", "127.0.0.1")
            .envs(env.iter().copied())
            .kill_on_drop(true)
            .spawn()
            .expect("start the server binary");
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                return Self { child, addr };
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the server did not start listening on {addr}");
    }

    /// Waits (10 s at most) until the server answers `/` from its page
    /// cache: its notification listener is up (until then nothing is stored).
    pub async fn wait_until_stored(&self) {
        use super::hits::{BROWSER, Client};
        let mut client = Client::new(self.addr);
        let ua = [("User-Agent", BROWSER)];
        for _ in 0..200 {
            client.get("/", &ua).await.unwrap();
            if client.get("/", &ua).await.unwrap().header("x-cache") == Some("hit") {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("{} never stores the home page", self.addr);
    }

    /// SIGKILL: the process ends at once, without any clean-up.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("SIGKILL the server");
    }

    /// SIGTERM, then waits (30 s at most) for a clean exit.
    pub async fn terminate(mut self) {
        let pid = self.child.id().expect("running").to_string();
        let status = tokio::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap();
        assert!(status.success());
        let exit = tokio::time::timeout(std::time::Duration::from_secs(30), self.child.wait())
            .await
            .expect("the server stops after SIGTERM")
            .unwrap();
        assert!(exit.success(), "the server exited with {exit}");
    }
}
