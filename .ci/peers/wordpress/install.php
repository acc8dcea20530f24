<?php
// Creates a fresh blog in an empty database and prints an Application Password for "admin".
// Run with the same environment as the server: php install.php SITE_DIR
$site = $argv[1];
$db = getenv('VARDE_WP_DB_NAME') ?: 'varde_e2e_wordpress';
[$host, $port] = array_pad(explode(':', getenv('VARDE_WP_DB_HOST') ?: '127.0.0.1:3306'), 2, '3306');
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$link = new mysqli($host, getenv('VARDE_WP_DB_USER') ?: 'root', getenv('VARDE_WP_DB_PASSWORD') ?: '', '', (int) $port);
$link->query("DROP DATABASE IF EXISTS `$db`");
$link->query("CREATE DATABASE `$db` CHARACTER SET utf8mb4");
$link->close();

$url = parse_url(getenv('VARDE_WP_URL') ?: 'http://127.0.0.1:8177');
$_SERVER['HTTP_HOST'] = $url['host'] . ':' . $url['port'];
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require $site . '/wp-load.php';
// No mail: the machine has no sendmail, and nobody reads it.
function wp_new_blog_notification() {}
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Varde e2e blog', 'admin', 'admin@example.com', true, '', 'admin-' . bin2hex(random_bytes(8)));
update_option('permalink_structure', '/%postname%/');
// Comments from the test's second user are approved at once, like a trusted reader's.
update_option('comment_moderation', 0);
update_option('comment_previously_approved', 0);
flush_rewrite_rules();
wp_insert_user(['user_login' => 'reader', 'user_email' => 'reader@example.com',
                'user_pass' => 'reader-' . bin2hex(random_bytes(8)), 'role' => 'subscriber']);
[$admin] = WP_Application_Passwords::create_new_application_password(1, ['name' => 'varde-e2e']);
$reader_id = get_user_by('login', 'reader')->ID;
[$reader] = WP_Application_Passwords::create_new_application_password($reader_id, ['name' => 'varde-e2e']);
echo json_encode(['admin' => $admin, 'reader' => $reader]), "\n";
