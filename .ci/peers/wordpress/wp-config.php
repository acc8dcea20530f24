<?php
// Varde's end-to-end WordPress: Debian's wordpress package served by PHP's built-in server on
// 127.0.0.1. Everything comes from the environment set by the test fixture (tests/e2e/peers.py).
define('DB_NAME', getenv('VARDE_WP_DB_NAME') ?: 'varde_e2e_wordpress');
define('DB_USER', getenv('VARDE_WP_DB_USER') ?: 'root');
define('DB_PASSWORD', getenv('VARDE_WP_DB_PASSWORD') ?: '');
define('DB_HOST', getenv('VARDE_WP_DB_HOST') ?: '127.0.0.1:3306');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
$varde_url = getenv('VARDE_WP_URL') ?: 'http://127.0.0.1:8177';
define('WP_HOME', $varde_url);
define('WP_SITEURL', $varde_url);
// Application Passwords demand HTTPS unless the environment is "local".
define('WP_ENVIRONMENT_TYPE', 'local');
// Never reach the internet (update checks, oEmbed, pingbacks).
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT',
          'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $varde_key) {
    define($varde_key, "varde-e2e-$varde_key");
}
$table_prefix = 'wp_';
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
