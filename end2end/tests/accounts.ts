/** The test accounts that start-server.sh creates in the throwaway test database. */
export const E2E_PASSWORD = "mật khẩu chỉ để thử nghiệm";
export const AUTHOR = "tacgia";
export const OTHER_AUTHOR = "tacgia2";
export const EDITOR = "bientap";
export const OTHER_EDITOR = "bientap2";
export const ADMIN = "quantri";
