//! Compare the token pass with the tree reading over every `.py` file under
//! a directory: `cargo run --release -p recon-syntax --example token_parity DIR`.

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: token_parity DIR");
        std::process::exit(2);
    };
    let (mut files, mut doubted, mut differing) = (0, 0, 0);
    for entry in ignore::WalkBuilder::new(&dir)
        .standard_filters(false)
        .build()
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "py") || !path.is_file() {
            continue;
        }
        let Ok(src) = std::fs::read_to_string(path) else {
            continue;
        };
        files += 1;
        let rel = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        match recon_syntax::token_pass_differences(&rel, &src) {
            Err(reason) => {
                doubted += 1;
                println!("doubt: {rel}: {reason}");
            }
            Ok(d) if !d.is_empty() => {
                differing += 1;
                for line in d {
                    println!("{line}");
                }
            }
            Ok(_) => {}
        }
    }
    println!("files {files}, doubted {doubted}, differing {differing}");
}
