//! The tabular operators after `|`: `where`, `project`, `extend`,
//! `project-away`, `join`, `union`, `distinct`, `order by`, `take`,
//! `summarize`. Any other operator is an [`Error::Unsupported`] naming it.

use super::ast::{ExprKind, JoinKey, JoinKind, NamedExpr, Op, SortKey, Source, Tabular};
use super::error::{Error, Pos};
use super::lexer::Tok;
use super::parser::Parser;

/// Tabular operators Kusto has that the evaluator does not implement, with advice.
const UNSUPPORTED_OPS: &[(&str, &str)] = &[
    ("mv-expand", ""),
    ("mv-apply", ""),
    ("evaluate", "plugins are outside the subset"),
    ("parse", "use extract() in extend instead"),
    ("top", "use order by ... | take n instead"),
    ("count", "use summarize count() instead"),
    ("lookup", "use join kind=leftouter instead"),
    (
        "project-rename",
        "use project-away and extend, or project with renames",
    ),
    ("project-keep", "use project instead"),
    ("project-reorder", "use project instead"),
];

impl Parser {
    /// An operator name, hyphenated ones (`project-away`) joined.
    fn operator_name(&mut self) -> Result<(String, Pos), Error> {
        let (mut name, pos) = self.expect_ident("a tabular operator")?;
        while self.is_punct("-") && self.adjacent(0) && self.adjacent(1) {
            if let Tok::Ident(next) = self.peek_n(1).clone() {
                self.advance();
                self.advance();
                name = format!("{name}-{next}");
            } else {
                break;
            }
        }
        Ok((name, pos))
    }

    pub(super) fn operator(&mut self) -> Result<Op, Error> {
        let (name, pos) = self.operator_name()?;
        Ok(match name.as_str() {
            "where" => Op::Where(self.expr()?),
            "project" => Op::Project(self.named_list("project")?),
            "extend" => Op::Extend(self.named_list("extend")?),
            "project-away" => Op::ProjectAway(self.name_patterns()?),
            "join" => self.join(pos)?,
            "union" => Op::Union {
                inputs: self.union_inputs()?,
                pos,
            },
            "distinct" => {
                if self.eat_punct("*") {
                    Op::Distinct(None)
                } else {
                    let mut cols = vec![self.column_name()?];
                    while self.eat_punct(",") {
                        cols.push(self.column_name()?);
                    }
                    Op::Distinct(Some(cols))
                }
            }
            "order" | "sort" => {
                if !self.eat_ident("by") {
                    return Err(self.unexpected(&format!("`by` after `{name}`")));
                }
                Op::Sort(self.sort_keys()?)
            }
            "take" | "limit" => Op::Take(self.expr()?),
            "summarize" => self.summarize()?,
            _ => {
                let hint = UNSUPPORTED_OPS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or("", |(_, h)| *h);
                return Err(Error::unsupported_because(pos, name, hint));
            }
        })
    }

    /// Items of `project`, `extend` or `summarize ... by`: `Name`, `Name = expr`.
    fn named_list(&mut self, what: &str) -> Result<Vec<NamedExpr>, Error> {
        let mut items = Vec::new();
        loop {
            let pos = self.pos();
            let named = matches!(
                (self.peek(), self.peek_n(1), self.peek_n(3)),
                (Tok::Ident(_), Tok::Punct("="), _)
                    | (Tok::Punct("["), Tok::Str(_), Tok::Punct("="))
            );
            let item = if named {
                let (name, _) = self.column_name()?;
                self.expect_punct("=")?;
                NamedExpr {
                    name,
                    expr: self.expr()?,
                }
            } else {
                let expr = self.expr()?;
                match &expr.kind {
                    ExprKind::Name(n) => NamedExpr {
                        name: n.clone(),
                        expr,
                    },
                    _ => {
                        return Err(Error::unsupported_because(
                            pos,
                            format!("unnamed expression in {what}"),
                            format!("name the column: {what} Name = ..."),
                        ))
                    }
                }
            };
            items.push(item);
            if !self.eat_punct(",") {
                return Ok(items);
            }
        }
    }

    /// `a, b*, *c` for `project-away`.
    fn name_patterns(&mut self) -> Result<Vec<(String, Pos)>, Error> {
        let mut out = Vec::new();
        loop {
            let pos = self.pos();
            let mut pattern = String::new();
            if self.is_punct("[") {
                pattern = self.column_name()?.0;
            } else {
                loop {
                    match self.peek() {
                        Tok::Ident(s) if !s.starts_with('$') => pattern.push_str(s),
                        Tok::Punct("*") => pattern.push('*'),
                        _ => break,
                    }
                    self.advance();
                    if !self.adjacent(0) {
                        break;
                    }
                }
            }
            if pattern.is_empty() {
                return Err(self.unexpected("a column name or pattern"));
            }
            out.push((pattern, pos));
            if !self.eat_punct(",") {
                return Ok(out);
            }
        }
    }

    fn join(&mut self, pos: Pos) -> Result<Op, Error> {
        let mut kind = None;
        loop {
            let kpos = self.pos();
            if self.is_ident("kind") && matches!(self.peek_n(1), Tok::Punct("=")) {
                self.advance();
                self.advance();
                let (k, _) = self.expect_ident("a join kind")?;
                kind =
                    Some(match k.as_str() {
                        "inner" => JoinKind::Inner,
                        "leftouter" => JoinKind::LeftOuter,
                        "leftanti" | "anti" | "leftantisemi" => JoinKind::LeftAnti,
                        _ => return Err(Error::unsupported_because(
                            kpos,
                            format!("join kind={k}"),
                            "the evaluator implements kind=inner, kind=leftouter and kind=leftanti",
                        )),
                    });
            } else if self.is_ident("hint") && matches!(self.peek_n(1), Tok::Punct(".")) {
                return Err(Error::unsupported(kpos, "join hints (hint.*)"));
            } else {
                break;
            }
        }
        let kind = kind.ok_or_else(|| {
            Error::unsupported_because(
                pos,
                "join without kind=",
                "Kusto's default kind is innerunique, which keeps one left row per key; \
                 write kind=inner, kind=leftouter or kind=leftanti",
            )
        })?;
        let right = if self.eat_punct("(") {
            let t = self.tabular()?;
            self.expect_punct(")")?;
            t
        } else {
            let (name, npos) = self.expect_ident("the right table or `(`")?;
            Tabular {
                source: Source::Name { name, pos: npos },
                ops: Vec::new(),
            }
        };
        if !self.eat_ident("on") {
            return Err(self.unexpected("`on` after the right side of join"));
        }
        let mut on = Vec::new();
        loop {
            on.push(self.join_key()?);
            if !(self.eat_punct(",") || self.eat_ident("and")) {
                break;
            }
        }
        Ok(Op::Join {
            kind,
            right: Box::new(right),
            on,
            pos,
        })
    }

    /// `Col`, or `$left.A == $right.B` (either side first).
    fn join_key(&mut self) -> Result<JoinKey, Error> {
        let side = |p: &mut Self| -> Result<Option<(bool, String, Pos)>, Error> {
            let left = match p.peek() {
                Tok::Ident(s) if s == "$left" => true,
                Tok::Ident(s) if s == "$right" => false,
                _ => return Ok(None),
            };
            p.advance();
            p.expect_punct(".")?;
            let (c, pos) = p.column_name()?;
            Ok(Some((left, c, pos)))
        };
        if let Some((first_left, a, apos)) = side(self)? {
            self.expect_punct("==")?;
            let bpos = self.pos();
            match side(self)? {
                Some((second_left, b, bpos)) if second_left != first_left => {
                    let (l, r) = if first_left {
                        ((a, apos), (b, bpos))
                    } else {
                        ((b, bpos), (a, apos))
                    };
                    Ok(JoinKey { left: l, right: r })
                }
                _ => Err(Error::syntax(
                    bpos,
                    "a join condition compares a $left column with a $right column",
                )),
            }
        } else {
            let c = self.column_name()?;
            Ok(JoinKey {
                left: c.clone(),
                right: c,
            })
        }
    }

    fn sort_keys(&mut self) -> Result<Vec<SortKey>, Error> {
        let mut keys = Vec::new();
        loop {
            let expr = self.expr()?;
            let desc = if self.eat_ident("asc") {
                false
            } else {
                self.eat_ident("desc");
                true
            };
            let mut nulls_first = !desc;
            if self.eat_ident("nulls") {
                if self.eat_ident("first") {
                    nulls_first = true;
                } else if self.eat_ident("last") {
                    nulls_first = false;
                } else {
                    return Err(self.unexpected("`first` or `last` after `nulls`"));
                }
            }
            keys.push(SortKey {
                expr,
                desc,
                nulls_first,
            });
            if !self.eat_punct(",") {
                return Ok(keys);
            }
        }
    }

    fn summarize(&mut self) -> Result<Op, Error> {
        if self.is_ident("hint") {
            return Err(Error::unsupported(self.pos(), "summarize hints (hint.*)"));
        }
        let mut count = None;
        if !self.is_ident("by") {
            let mut name = None;
            if matches!(
                (self.peek(), self.peek_n(1)),
                (Tok::Ident(_), Tok::Punct("="))
            ) {
                name = Some(self.expect_ident("a column name")?.0);
                self.advance();
            }
            let (f, fpos) = self.expect_ident("an aggregation such as count()")?;
            if f != "count" || !self.is_punct("(") || !matches!(self.peek_n(1), Tok::Punct(")")) {
                let shown = if self.is_punct("(") {
                    format!("summarize {f}(...)")
                } else {
                    format!("summarize {f}")
                };
                return Err(Error::unsupported_because(
                    fpos,
                    shown,
                    "the evaluator implements summarize count() by ...",
                ));
            }
            self.advance();
            self.advance();
            if self.is_punct(",") {
                return Err(Error::unsupported(
                    self.pos(),
                    "more than one aggregation in summarize",
                ));
            }
            count = Some(name.unwrap_or_else(|| "count_".to_owned()));
        }
        let by = if self.eat_ident("by") {
            self.named_list("summarize ... by")?
        } else if count.is_none() {
            return Err(self.unexpected("an aggregation or `by`"));
        } else {
            Vec::new()
        };
        Ok(Op::Summarize { count, by })
    }
}
